import { hijackWithHead } from './request-basics.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { completeBodySchema, queueBodySchema, quoteBodySchema, retrieveBodySchema, speechBodySchema } from '../domain/request-schemas.js';
import { ApiError } from '../domain/api-error.js';
import { StopReason } from '../ports/engine.js';
import { parseOrThrow } from '../domain/validation-error.js';
import type { AppServices } from './app-services.js';
import { authenticate, showBalance } from './authenticate.js';
import { fastLaneOf } from './http-server.js';
import type { MediaStream } from '../ports/media-store.js';
import { type PumpingStream, sendMedia } from './send-media.js';
import { bufferedSpeech, clientLeft, streamedSpeech } from './speech-output.js';

/** The `Idempotency-Key` header, when sent (an empty one is invalid, not absent). */
function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `/audio/quote`, `/audio/queue`, `/audio/retrieve`, `/audio/complete`, `/audio/speech`. */
export function registerAudioRoutes(app: FastifyInstance, services: AppServices): void {
  const keyed = authenticate(services.authentication);
  const optional = authenticate(services.authentication, { optional: true });

  app.post('/api/v1/audio/quote', { preHandler: optional }, async (request) =>
    services.queue.quote(parseOrThrow(quoteBodySchema, request.body), request.principal),
  );
  // A quote without credentials is pure arithmetic: plain ones skip Fastify.
  fastLaneOf(app)?.post('/api/v1/audio/quote', (body) => services.queue.publicQuote(parseOrThrow(quoteBodySchema, body)));

  app.post('/api/v1/audio/queue', { preHandler: keyed }, async (request, reply) => {
    const answer = await services.queue.queue(request.principal!, parseOrThrow(queueBodySchema, request.body), idempotencyKeyOf(request));
    if (answer.replayed) reply.header('idempotent-replayed', 'true');
    // The hook read the balance before the price was held: show what is left now.
    await showBalance(services.authentication, request.principal!, reply);
    return answer.body;
  });

  app.post('/api/v1/audio/retrieve', { preHandler: keyed }, async (request, reply) => {
    const result = await services.queue.retrieve(request.principal!, parseOrThrow(retrieveBodySchema, request.body));
    if (result.kind === 'processing') return result.body;
    const raw = reply.raw;
    const { stream } = result;
    if (!hasPump(stream)) {
      // Streams from elsewhere (S3) go through Fastify's pipe; the media may be deleted once the
      // answer finished (every byte handed to the connection), never when the client left first.
      let settled = false;
      const settle = (sent: boolean) => {
        if (settled) return;
        settled = true;
        result.finish(sent).catch((error) => request.log.error({ err: error, reqId: request.id }, 'media purge failed'));
      };
      raw.once('finish', () => settle(true));
      raw.once('close', () => settle(false));
      return reply.headers(result.headers).send(stream);
    }
    try {
      await sendMedia(stream, hijackWithHead(reply, result.headers));
    } catch (error) {
      raw.destroy(error as Error);
      await result.finish(false);
      return reply;
    }
    // Every byte reached the connection: only now may delete_media_on_completion remove the media,
    // and before the answer ends, so the client's next request already finds it gone.
    await result.finish(true).catch((error) => request.log.error({ err: error, reqId: request.id }, 'media purge failed'));
    raw.end();
    return reply;
  });

  app.post('/api/v1/audio/complete', { preHandler: keyed }, async (request) =>
    services.queue.complete(request.principal!, parseOrThrow(completeBodySchema, request.body)),
  );

  app.post('/api/v1/audio/speech', { preHandler: keyed }, async (request, reply) => {
    const raw = request.body as Record<string, unknown> | undefined;
    if (!raw || typeof raw !== 'object' || raw.model === undefined || raw.model === null || raw.model === '')
      throw new ApiError('model_required');
    const body = parseOrThrow(speechBodySchema, raw);
    const controller = new AbortController();
    // The response closes before it finished only when the client went away: stop the engine.
    reply.raw.once('close', () => reply.raw.writableFinished || controller.abort(new StopReason('disconnected')));
    const output = body.streaming ? streamedSpeech(reply) : bufferedSpeech(reply);
    try {
      await services.speech.speakOnce(request.principal!, body, output, controller.signal, idempotencyKeyOf(request));
    } catch (error) {
      if (!controller.signal.aborted && !clientLeft(reply.raw)) {
        if (!reply.sent) throw error;
        // The engine failed part-way through a stream (released, not charged): cut the answer
        // short rather than leave the client waiting for the rest.
        request.log.error({ err: error, reqId: request.id }, 'speech failed part-way');
        // After this turn, once the bytes written so far went out (the first write corks the socket).
        setImmediate(() => reply.raw.destroy());
        return reply;
      }
      // Settled already (see docs/api.md): nobody is left to answer.
      request.log.info({ reqId: request.id, delivered: output.delivered() }, 'the client left before its speech was sent');
      if (!reply.sent) reply.hijack();
    }
    return reply;
  });
}

const hasPump = (stream: MediaStream): stream is PumpingStream => stream.pumpTo !== undefined;
