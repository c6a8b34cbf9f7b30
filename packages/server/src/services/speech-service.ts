import { ApiError } from '../domain/api-error.js';
import type { Catalog } from '../domain/catalog.js';
import type { ContentPolicy } from '../domain/content-policy.js';
import { priceJob } from '../domain/pricing.js';
import type { SpeechBody } from '../domain/request-schemas.js';
import { invalidParameters, type RequestIssue } from '../domain/validation-error.js';
import { voiceIssues } from '../domain/validate-request.js';
import { CONTENT_TYPES } from '../audio/encode-audio.js';
import { PCM_SAMPLE_RATE } from '../audio/frame-codecs.js';
import { type EngineRegistry, type InstanceSlot, routeOf } from '../engines/engine-registry.js';
import { type AudioFormat, type ByteSink, EngineRejection, StopReason } from '../ports/engine.js';
import type { Store } from '../ports/store/store.js';
import type { MediaStore } from '../ports/media-store.js';
import { randomUUID } from 'node:crypto';
import { speechError } from './engine-failure.js';
import { isValidIdempotencyKey, requestHash } from './request-hash.js';
import { assertAccepting, resolveModel, seedOf } from './model-access.js';
import type { Principal } from './principal.js';
import type { VoiceDirectory } from './voice-directory.js';

/**
 * Where speech goes: `open` is called once, with the headers, just before the first bytes; after
 * the last, `flush` then (once the price is settled) `end`.
 */
export interface SpeechOutput extends ByteSink {
  open(headers: Record<string, string>): void;
  /** Hand every byte written to the client's connection; rejects when the client left first. */
  flush(): Promise<void>;
  /** Finish the answer. */
  end(): void;
  /** Whether any audio reached the client's connection (a dropped answer is then charged in full). */
  delivered(): boolean;
}

export interface SpeechServiceDependencies {
  readonly store: Store;
  readonly media: MediaStore;
  readonly catalog: Catalog;
  readonly engines: EngineRegistry;
  readonly contentPolicy: ContentPolicy;
  readonly now: () => number;
  readonly idempotencyMs: number;
  /** Voices of rows whose voices live upstream; absent: every row's own list only. */
  readonly voices?: Pick<VoiceDirectory, 'allowed'>;
}

/** The synchronous `/audio/speech` flow: validate, reserve, synthesise, capture (or release). */
export class SpeechService {
  private readonly store: Store;
  private readonly catalog: Catalog;
  private readonly engines: EngineRegistry;
  private readonly contentPolicy: ContentPolicy;
  private readonly now: () => number;

  constructor(private readonly deps: SpeechServiceDependencies) {
    ({ store: this.store, catalog: this.catalog, engines: this.engines, contentPolicy: this.contentPolicy, now: this.now } = deps);
  }

  /**
   * Speak once per `Idempotency-Key`: the first request's audio is kept and replayed (with
   * `idempotent-replayed: true`) to later requests with the same key and body, never charged again.
   */
  async speakOnce(
    principal: Principal,
    body: SpeechBody,
    output: SpeechOutput,
    signal: AbortSignal,
    key: string | undefined,
  ): Promise<void> {
    if (key === undefined) return this.speak(principal, body, output, signal);
    if (!isValidIdempotencyKey(key)) throw new ApiError('idempotency_key_invalid');
    const account = principal.account.id;
    const claim = { key, requestHash: requestHash('speech', body), expiresAt: this.now() + this.deps.idempotencyMs };
    const state = await this.store.idempotency.claimIdempotencyKey(account, claim, this.now());
    if (state.state === 'mismatch') throw new ApiError('idempotency_mismatch');
    if (state.state === 'in_flight') throw new ApiError('idempotency_in_flight');
    if (state.state === 'done') {
      const stored = state.mediaKey ? await this.deps.media.open(state.mediaKey) : undefined;
      if (!stored) throw new ApiError('media_not_found');
      output.open({ ...JSON.parse(state.response), 'idempotent-replayed': 'true' });
      for await (const chunk of stored.stream) await output.write(chunk as Uint8Array);
      await output.flush();
      output.end();
      return;
    }
    const mediaKey = `speech-${randomUUID()}`;
    const writer = await this.deps.media.create(mediaKey);
    let headers: Record<string, string> = {};
    // The answer ends only once its key is done: a retry right after it is a replay.
    let ended = false;
    // A client that leaves once audio reached it pays in full (see `speak`); with a key, the
    // synthesis then runs on to the end so a retry with the key replays all of it, unpaid.
    let detached = false;
    const engineStop = new AbortController();
    const onLeave = () => {
      if (output.delivered()) detached = true;
      else engineStop.abort(signal.reason);
    };
    if (signal.aborted) onLeave();
    else signal.addEventListener('abort', onLeave, { once: true });
    try {
      await this.speak(
        principal,
        body,
        {
          open: (opened) => {
            headers = opened;
            output.open(opened);
          },
          write: async (chunk) => {
            await writer.write(chunk);
            if (detached) return;
            try {
              await output.write(chunk);
            } catch (error) {
              if (!output.delivered()) throw error;
              detached = true;
            }
          },
          flush: async () => (detached ? undefined : output.flush()),
          end: () => {
            ended = true;
          },
          delivered: () => output.delivered(),
        },
        engineStop.signal,
      );
      await writer.commit();
      await this.store.idempotency.finishIdempotencyKey(account, key, 200, JSON.stringify(headers), mediaKey);
    } catch (error) {
      await writer.abort();
      await this.store.idempotency.dropIdempotencyKey(account, key);
      if (ended) output.end();
      throw error;
    } finally {
      signal.removeEventListener('abort', onLeave);
    }
    output.end();
  }

  /**
   * A slot on the first instance of the route that is up, waiting (until `signal` aborts) while
   * every such instance is busy; a 503 when none of them is up.
   */
  private async slotFor(route: readonly string[], skip: ReadonlySet<string>, signal: AbortSignal): Promise<InstanceSlot> {
    for (;;) {
      if (!this.engines.anyUp(route, skip)) throw new ApiError('capacity');
      const slot = this.engines.take(route, skip);
      if (slot) return slot;
      await this.engines.released(signal);
    }
  }

  async speak(principal: Principal, body: SpeechBody, output: SpeechOutput, signal: AbortSignal): Promise<void> {
    const model = resolveModel(this.catalog, body.model, 'tts', principal);
    assertAccepting(model);
    const spec = model.model_spec;
    const format: AudioFormat = body.response_format ?? spec.default_format ?? 'mp3';
    const issues: RequestIssue[] = [];
    const voices = (await this.deps.voices?.allowed(model, body.voice)) ?? spec.voices ?? [];
    issues.push(...voiceIssues(model, body.voice, voices));
    if (!(spec.supported_formats ?? ['mp3']).includes(format))
      issues.push({ path: ['response_format'], message: `Must be one of: ${(spec.supported_formats ?? ['mp3']).join(', ')}` });
    const speed = body.speed ?? spec.default_speed ?? 1;
    if (speed < (spec.min_speed ?? 0.25) || speed > (spec.max_speed ?? 4))
      issues.push({ path: ['speed'], message: `Must be between ${spec.min_speed ?? 0.25} and ${spec.max_speed ?? 4}` });
    if (issues.length > 0) throw invalidParameters(issues);
    if (!/[\p{L}\p{N}]/u.test(body.input)) throw new ApiError('speakable_text');
    const violation = this.contentPolicy({ prompt: body.input });
    if (violation) throw new ApiError('content_policy');
    const route = routeOf(model.engine);
    let slot = await this.slotFor(route, new Set(), signal);
    const price = priceJob(model, { characterCount: body.input.length });
    const reserved = await this.store.ledger.reserve(principal.account.id, principal.key.id, price, this.now()).catch((error) => {
      slot.finish('neutral');
      throw error;
    });
    if (!reserved.ok) {
      slot.finish('neutral');
      throw new ApiError(reserved.reason);
    }
    let opened = false;
    const voice = body.voice ?? spec.default_voice;
    const request = {
      modelId: model.id,
      modelType: 'tts' as const,
      requestId: randomUUID(),
      options: model.engine_options,
      prompt: body.input,
      forceInstrumental: false,
      lyricsOptimizer: false,
      loop: false,
      voice,
      languageCode: body.language,
      speed,
      format,
      seed: seedOf(model.id, body.input, voice, speed, body.language),
    };
    const sink: ByteSink = {
      write: async (chunk) => {
        if (!opened) {
          opened = true;
          output.open({
            'content-type': CONTENT_TYPES[format],
            'x-venice-model-id': model.id,
            // Raw PCM has no header of its own: say how to play it, at the rate its engine writes.
            ...(format === 'pcm'
              ? {
                  'x-audio-sample-rate': String(slot.instance.engine.pcmSampleRate ?? PCM_SAMPLE_RATE),
                  'x-audio-channels': '1',
                  'x-audio-encoding': 's16le',
                }
              : {}),
          });
        }
        await output.write(chunk);
      },
    };
    const tried = new Set<string>();
    for (;;) {
      try {
        await slot.instance.engine.generate(request, sink, { signal, onProgress: () => undefined });
        slot.finish('ok');
        break;
      } catch (error) {
        const rejected = error instanceof EngineRejection;
        slot.finish(signal.aborted || rejected ? 'neutral' : 'failed');
        tried.add(slot.instance.name);
        // Before the first byte went out, another instance may still answer the same request:
        // after a failure or an upstream at capacity, not after a refusal of the request itself.
        const movable = !signal.aborted && !opened && (!rejected || error.kind === 'capacity');
        const next = movable ? await this.slotFor(route, tried, signal).catch(() => undefined) : undefined;
        if (next) {
          slot = next;
          continue;
        }
        // A client that left once audio had reached it pays the price (known up front); any
        // other failure, or a client gone before the first byte, costs nothing.
        const left = signal.aborted || (error instanceof StopReason && error.kind === 'disconnected');
        await this.store.ledger.settleHold(reserved.value.holdId, left && output.delivered() ? 'capture' : 'release', this.now());
        throw speechError(error, { opened, aborted: signal.aborted, remote: slot.instance.remote }) ?? error;
      }
    }
    // Charged only once the answer reached the client's connection (a streamed one already has).
    try {
      await output.flush();
    } catch (error) {
      await this.store.ledger.settleHold(reserved.value.holdId, output.delivered() ? 'capture' : 'release', this.now());
      throw error;
    }
    await this.store.ledger.settleHold(reserved.value.holdId, 'capture', this.now());
    output.end();
  }
}
