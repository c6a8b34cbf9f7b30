import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toneCatalogFile } from '../../support/test-app.js';
import type { Database } from './exact-money-audit.js';
import type { Prng } from './prng.js';
import type { ServerProcess } from './server-process.js';

/** One acknowledged or unanswered enqueue: its idempotency key and body, and the id if acknowledged. */
export interface Enqueue {
  readonly key: string;
  readonly body: object;
  id?: string;
}

/** A data directory whose catalog runs every model on the `tone` engine, plus its database. */
export function killWorld(databaseUrl?: string): { directory: string; catalog: string; database: Database } {
  const directory = mkdtempSync(join(tmpdir(), 'overture-kill-'));
  const catalog = toneCatalogFile(directory);
  return { directory, catalog, database: databaseUrl ? { postgres: databaseUrl } : { sqlite: join(directory, 'overture.sqlite') } };
}

/** POST JSON to a server process over a real socket; undefined when the connection died. */
export async function post(port: number, path: string, body: unknown, key?: string, extra: Record<string, string> = {}) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, type: response.headers.get('content-type') ?? '', bytes };
  } catch {
    return undefined;
  }
}

/**
 * A burst of mixed requests (idempotent enqueues, streamed speech, fast-lane quotes, retrieves)
 * at `server`; once `killAfter` have been answered, `kill` runs while the rest are in flight.
 * Resolves with how many were still unanswered at the kill.
 */
export async function burstAndKill(
  server: ServerProcess,
  key: string,
  random: Prng,
  enqueues: Enqueue[],
  kill: () => Promise<void>,
  size = 24,
  killAfter = 6,
  onlyEnqueues = false,
): Promise<number> {
  let answered = 0;
  let killed: Promise<number> | undefined;
  const onAnswer = () => {
    answered++;
    if (answered !== killAfter) return;
    const inFlight = size - answered;
    killed = kill().then(() => inFlight);
  };
  const requests: Promise<unknown>[] = [];
  for (let i = 0; i < size; i++) {
    const kind = onlyEnqueues ? 0 : random.int(0, 9);
    if (kind < 5) {
      const entry: Enqueue = {
        key: `kill-${enqueues.length}`,
        body: { model: 'overture-sketch', prompt: `a small sketch ${enqueues.length}`, duration_seconds: random.int(1, 5) },
      };
      enqueues.push(entry);
      requests.push(
        post(server.port, '/api/v1/audio/queue', entry.body, key, { 'idempotency-key': entry.key }).then((answer) => {
          if (answer?.status === 200) entry.id = (JSON.parse(answer.bytes.toString()) as { queue_id: string }).queue_id;
          onAnswer();
        }),
      );
    } else if (kind < 7) {
      const input = 'Money moves once, whatever happens to the process. '.repeat(random.int(1, 6));
      requests.push(post(server.port, '/api/v1/audio/speech', { model: 'overture-tts', input, voice: 'oscar' }, key).then(onAnswer));
    } else if (kind < 9) {
      requests.push(post(server.port, '/api/v1/audio/quote', { model: 'overture-music', duration_seconds: 60 }).then(onAnswer));
    } else {
      const known = enqueues.find((entry) => entry.id);
      const body = { model: 'overture-sketch', queue_id: known?.id ?? crypto.randomUUID() };
      requests.push(post(server.port, '/api/v1/audio/retrieve', body, key).then(onAnswer));
    }
  }
  await Promise.all(requests);
  return (await (killed ?? kill().then(() => 0))) as number;
}
