// A fake webhook consumer, following the Standard Webhooks specification
// (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
// each POST carries `webhook-id` (the same on every retry of one message), `webhook-timestamp`
// and `webhook-signature: v1,<base64>`; a 2xx answer acknowledges the message, anything else (or
// no answer) asks the sender to retry. Its mood is set by the test: `fail` answers 500, `hang`
// never answers, `ok` answers 204.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers the next requests. */
export type ReceiverMood = 'ok' | 'fail' | 'hang';

/** One message as received. */
export interface ReceivedWebhook {
  readonly id: string;
  readonly type: string;
  readonly queueId: string;
  readonly answered: number | 'none';
}

/** A running receiver on 127.0.0.1. */
export interface WebhookReceiver {
  readonly url: string;
  mood: ReceiverMood;
  readonly received: ReceivedWebhook[];
  /** Requests held open in the `hang` mood right now. */
  hanging(): number;
  /** Message ids acknowledged with a 2xx at least once. */
  acknowledged(): Set<string>;
  close(): Promise<void>;
}

/** Start the receiver; malformed deliveries (missing headers, a body that is not an event) are recorded as `malformed`. */
export async function startWebhookReceiver(): Promise<WebhookReceiver & { malformed: string[] }> {
  const received: ReceivedWebhook[] = [];
  const malformed: string[] = [];
  const held = new Set<ServerResponse>();
  const receiver = {
    url: '',
    mood: 'ok' as ReceiverMood,
    received,
    malformed,
    hanging: () => held.size,
    acknowledged: () => new Set(received.filter((r) => r.answered !== 'none' && r.answered < 300).map((r) => r.id)),
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = String(request.headers['webhook-id'] ?? '');
      const signature = String(request.headers['webhook-signature'] ?? '');
      let event: { type?: unknown; data?: { queue_id?: unknown } } = {};
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {}
      if (
        !id ||
        !/^\d+$/.test(String(request.headers['webhook-timestamp'])) ||
        !signature.startsWith('v1,') ||
        typeof event.type !== 'string'
      )
        malformed.push(`${id}: ${Buffer.concat(chunks).toString('utf8').slice(0, 100)}`);
      const mood = receiver.mood;
      const answered = mood === 'ok' ? 204 : mood === 'fail' ? 500 : 'none';
      received.push({ id, type: String(event.type), queueId: String(event.data?.queue_id), answered });
      if (answered === 'none') {
        held.add(response);
        response.on('close', () => held.delete(response));
        return;
      }
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
