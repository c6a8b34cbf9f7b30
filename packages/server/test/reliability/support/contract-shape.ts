// The shapes of /work/shared/spec/contract.md that a fuzzer can check on any answer: the status
// codes the contract names, the error body, and the success bodies of the money routes.

/**
 * Status codes the contract (and its documented extensions) answers with, plus 431 — Node's own
 * limit on a request line and headers over 16 KiB, before any route sees them. Anything else is a finding.
 */
export const CONTRACT_STATUSES = new Set([200, 201, 204, 400, 401, 402, 403, 404, 405, 409, 413, 415, 422, 429, 431]);

/** One answer as seen on the wire (or through `inject`). */
export interface Answer {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

const isMoney = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why this answer is outside the contract, or undefined when it is inside. */
export function shapeProblem(answer: Answer): string | undefined {
  if (!CONTRACT_STATUSES.has(answer.status)) return `status ${answer.status} is not one the contract answers`;
  for (const currency of ['usd', 'diem']) {
    const header = answer.headers[`x-venice-balance-${currency}`];
    if (header !== undefined && !(Number(header) >= 0 && Number.isFinite(Number(header))))
      return `x-venice-balance-${currency}: ${String(header)} is not a finite amount`;
  }
  if (answer.method === 'HEAD' || answer.status === 204) return undefined;
  const json = /^application\/json/.test(answer.contentType);
  let body: unknown;
  if (json) {
    try {
      body = JSON.parse(answer.body.toString('utf8'));
    } catch {
      return 'a JSON content type with a body that is not JSON';
    }
  }
  if (answer.status >= 400) {
    if (!json) return `a rejection that is not JSON (${answer.contentType})`;
    return isObject(body) && typeof body.error === 'string' ? undefined : 'a rejection not in the {"error": string} shape';
  }
  const path = answer.url.split('?')[0];
  if (answer.method !== 'POST' && answer.method !== 'GET') return undefined;
  if (path === '/api/v1/audio/quote' && answer.method === 'POST')
    return isObject(body) && isMoney(body.quote) ? undefined : `quote answered ${answer.body.toString('utf8').slice(0, 120)}`;
  if (path === '/api/v1/models' && answer.method === 'GET')
    return isObject(body) && body.object === 'list' && Array.isArray(body.data) ? undefined : 'models answered another shape';
  if (path === '/api/v1/audio/queue' && answer.method === 'POST')
    return isObject(body) && typeof body.queue_id === 'string' && body.status === 'QUEUED' ? undefined : 'queue answered another shape';
  if (path === '/api/v1/audio/retrieve' && answer.method === 'POST') {
    if (json) return isObject(body) && body.status === 'PROCESSING' ? undefined : 'retrieve answered JSON that is not PROCESSING';
    if (!/^audio\/(mpeg|wav|flac)$/.test(answer.contentType)) return `retrieve answered ${answer.contentType}`;
    return Number(answer.headers['content-length']) === answer.body.length ? undefined : 'retrieve sent a torn body';
  }
  if (path === '/api/v1/billing/balance' && answer.method === 'GET') {
    const balances = isObject(body) ? body.balances : undefined;
    if (!isObject(balances)) return 'balance answered another shape';
    return [balances.usd, balances.diem].every((value) => value === null || isMoney(value)) ? undefined : 'balance is not a finite amount';
  }
  return undefined;
}
