import { Agent, request } from 'node:http';

/** An answer read off a real socket. */
export interface SocketAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** What to send: `chunked` sends the body without a `Content-Length` (transfer-encoding chunked). */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
  readonly chunked?: boolean;
}

/**
 * A path Node's client accepts: characters outside `!`..`ÿ` (spaces, unicode, lone surrogates)
 * are percent-encoded as UTF-8 (a lone surrogate as U+FFFD), as a client's URL parser would.
 */
export function wirePath(path: string): string {
  let out = '';
  for (const char of path) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x21 && code <= 0x7e) out += char;
    else if (code >= 0xd800 && code <= 0xdfff) out += '%EF%BF%BD';
    else out += encodeURIComponent(char);
  }
  return out;
}

/** A keep-alive client to 127.0.0.1:`port`, so requests share connections as real clients do. */
export class SocketClient {
  private agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(private readonly port: number) {}

  /** Send one request; rejects when no whole answer arrives within `limitMs` (generous, a hang is a finding). */
  send(raw: RawRequest, limitMs = 30_000): Promise<SocketAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...raw.headers };
      if (raw.payload !== undefined && !raw.chunked) headers['content-length'] = String(Buffer.byteLength(raw.payload));
      // Said explicitly: Node's client chunks only some methods by default (a GET body would be sent bare).
      if (raw.payload !== undefined && raw.chunked) headers['transfer-encoding'] = 'chunked';
      const outgoing = request(
        { host: '127.0.0.1', port: this.port, method: raw.method, path: wirePath(raw.path), headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            // Node answers 431 from its parser and closes the connection without saying so
            // (no `Connection: close`): start afresh rather than reuse a socket being closed.
            if (response.statusCode === 431) this.reset();
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
          });
        },
      );
      outgoing.setTimeout(limitMs, () => outgoing.destroy(new Error(`no answer within ${limitMs} ms`)));
      outgoing.on('error', reject);
      if (raw.payload !== undefined && raw.chunked) outgoing.write(raw.payload);
      outgoing.end(raw.chunked ? undefined : raw.payload);
    });
  }

  /** Drop every pooled connection. */
  reset(): void {
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, maxSockets: 4 });
  }

  close(): void {
    this.agent.destroy();
  }
}
