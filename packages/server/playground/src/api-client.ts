/** One issue of the contract's 400 body: which field, and why. */
export interface FieldIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** An error answer of the server, in the contract's shape (`{error, issues?, …}`). */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const KEY_STORAGE = 'overture.playground.key';

/** The API key kept in this browser's storage; it is only ever sent to this page's own origin. */
export const keyStore = {
  get(): string {
    return localStorage.getItem(KEY_STORAGE) ?? '';
  },
  set(key: string): void {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  },
};

/** Request options: a JSON body, whether to send the key, and an abort signal. */
export interface CallOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly keyed?: boolean;
  readonly signal?: AbortSignal;
  readonly headers?: Record<string, string>;
}

/** Call `/api/v1{path}` on this origin; a non-2xx answer throws a `ServerError` with the server's message. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const key = keyStore.get();
  if (options.keyed !== false && key) headers.authorization = `Bearer ${key}`;
  // A relative URL: the request can only ever go to the origin that served the page.
  const response = await fetch(`/api/v1${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    credentials: 'omit',
  });
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {}
  const message = typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
  const issues = Array.isArray(body.issues) ? (body.issues as FieldIssue[]) : [];
  throw new ServerError(response.status, message, issues, body);
}

/** `call` and parse the JSON answer. */
export async function callJson<T>(path: string, options: CallOptions = {}): Promise<T> {
  return (await call(path, options)).json() as Promise<T>;
}
