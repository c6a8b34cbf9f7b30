/**
 * Every instance of `examples/engines.json` serves a track of each of its rows of
 * `examples/gateway-catalog.json` through its adapter, in a real app: the instance's `url` points at
 * the adapter's loopback fake (the `command` instance runs espeak-ng, or the test program where
 * espeak-ng is not installed), every other remote instance at a closed port (so a row that lists
 * another instance first fails over to this one). A music row is queued, retrieved, decoded and
 * completed, its price captured once; a tts row's `/audio/speech` answer is decoded.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { test } from 'node:test';
import { CONTENT_TYPES } from '../../src/audio/encode-audio.js';
import { catalogModelSchema } from '../../src/domain/model-spec.js';
import { type PriceInput, priceJob } from '../../src/domain/pricing.js';
import { ENGINE_ADAPTERS } from '../../src/engines/engine-adapters.js';
import { routeOf } from '../../src/engines/engine-registry.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { assertLedgerInvariants } from '../store/store-conformance.js';
import { decodeAudio } from '../support/audio-decode.js';
import { writeCommandProgram } from '../support/command-program.js';
import { startFakeAceStep } from '../support/fake-ace-step-server.js';
import { startFakeCog } from '../support/fake-cog-server.js';
import { startFakeElevenLabs } from '../support/fake-elevenlabs-server.js';
import { startFakeFal } from '../support/fake-fal-server.js';
import { startFakeOpenAiSpeech } from '../support/fake-openai-speech-server.js';
import { startFakeReplicate } from '../support/fake-replicate-server.js';
import { startFakeVenice } from '../support/fake-venice-server.js';
import { startTestApp, waitForMedia } from '../support/test-app.js';

interface ExampleInstance {
  adapter: string;
  url?: string;
  api_key_env?: string;
  options?: Record<string, unknown>;
}
interface ExampleRow {
  id: string;
  type: 'music' | 'tts';
  engine: string | string[];
  model_spec: { min_duration?: number; default_format?: AudioFormat };
}

const examples = resolve(import.meta.dirname, '../../../../examples');
const catalogPath = join(examples, 'gateway-catalog.json');
const ENGINES: { engines: Record<string, ExampleInstance> } = JSON.parse(readFileSync(join(examples, 'engines.json'), 'utf8'));
const ROWS: ExampleRow[] = JSON.parse(readFileSync(catalogPath, 'utf8')).models;

/** What each `api_key_env` of the example holds here; the fakes accept exactly these. */
const KEYS: Record<string, string> = {
  VENICE_API_KEY: 'venice-test-key',
  ELEVENLABS_API_KEY: 'xi-test-key',
  ACESTEP_API_KEY: 'ace-test-key',
  FAL_KEY: 'fal-test-key',
  REPLICATE_API_TOKEN: 'r8_test_token',
};
/** Seconds of speech per character (espeak-ng's default voice speaks about as fast). */
const SPEECH_RATE = 0.06;
const espeak = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'espeak-ng')));

/** A running stand-in for an instance's upstream. */
interface Upstream {
  /** The instance's `url`, when it has one. */
  readonly url?: string;
  /** Requests of a track it received (undefined: it cannot tell, as espeak-ng). */
  served(): number | undefined;
  /** Seconds of speech it makes per character of text. */
  readonly speechRate: number;
  close(): Promise<void>;
}

let program: Promise<string> | undefined;
/** The test program standing for espeak-ng, written once. */
function commandProgram(): Promise<string> {
  program ??= writeCommandProgram(mkdtempSync(join(tmpdir(), 'overture-example-command-')));
  return program;
}

const UPSTREAMS: Record<string, () => Promise<Upstream>> = {
  'openai-speech': async () => {
    const fake = await startFakeOpenAiSpeech({ secondsPerCharacter: SPEECH_RATE });
    return { url: fake.url, served: () => fake.requests.length, speechRate: SPEECH_RATE, close: () => fake.close() };
  },
  venice: async () => {
    const fake = await startFakeVenice({ apiKey: KEYS.VENICE_API_KEY, finishAfterMs: 0 });
    return { url: fake.url, served: () => fake.submissions.length, speechRate: SPEECH_RATE, close: () => fake.close() };
  },
  command: async () => ({ served: () => undefined, speechRate: espeak ? SPEECH_RATE : 0.02, close: async () => undefined }),
  elevenlabs: async () => {
    const fake = await startFakeElevenLabs({ apiKey: KEYS.ELEVENLABS_API_KEY, secondsPerCharacter: SPEECH_RATE });
    return { url: fake.url, served: () => fake.requests.length, speechRate: SPEECH_RATE, close: () => fake.close() };
  },
  'ace-step': async () => {
    const fake = await startFakeAceStep({ apiKey: KEYS.ACESTEP_API_KEY, finishAfterPolls: 0 });
    return { url: fake.url, served: () => fake.tasks.size, speechRate: SPEECH_RATE, close: () => fake.close() };
  },
  fal: async () => {
    const fake = await startFakeFal({ apiKey: KEYS.FAL_KEY, queuedPolls: 0, runningPolls: 0 });
    return { url: fake.url, served: () => fake.requests.size, speechRate: SPEECH_RATE, close: () => fake.close() };
  },
  cog: async () => {
    const fake = await startFakeCog();
    return { url: fake.url, served: () => fake.started.length, speechRate: SPEECH_RATE, close: () => fake.close() };
  },
  replicate: async () => {
    const fake = await startFakeReplicate({ apiKey: KEYS.REPLICATE_API_TOKEN, finishAfterMs: 20 });
    return { url: fake.url, served: () => fake.predictions.length, speechRate: SPEECH_RATE, close: () => fake.close() };
  },
};

/** A loopback URL nothing listens on: a call to it is refused at once. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}`;
}

/** A copy of the example engines file: `name` on its upstream, other remote instances refused. */
async function enginesCopy(directory: string, name: string, upstream: Upstream): Promise<string> {
  const data = structuredClone(ENGINES);
  const refused = await closedUrl();
  for (const [other, instance] of Object.entries(data.engines)) {
    if (instance.url !== undefined) instance.url = other === name ? upstream.url : refused;
    if (instance.adapter === 'command' && !espeak) {
      instance.options = { ...instance.options, program: process.execPath, arguments: [await commandProgram(), '--prompt={prompt}'] };
    }
  }
  const path = join(directory, 'engines.json');
  writeFileSync(path, JSON.stringify(data));
  return path;
}

const remote = Object.entries(ENGINES.engines).filter(([, instance]) => ENGINE_ADAPTERS[instance.adapter]?.remote);

test('the example engines file has an instance of every remote adapter, and this test a fake of each', () => {
  const adapters = Object.entries(ENGINE_ADAPTERS)
    .filter(([, adapter]) => adapter.remote)
    .map(([name]) => name);
  for (const adapter of adapters) {
    assert.ok(
      remote.some(([, instance]) => instance.adapter === adapter),
      `examples/engines.json has an instance of ${adapter}`,
    );
    assert.ok(UPSTREAMS[adapter], `a fake upstream for ${adapter}`);
  }
  for (const [, instance] of remote) if (instance.api_key_env) assert.ok(KEYS[instance.api_key_env], instance.api_key_env);
});

for (const [name, instance] of remote) {
  test(`${name} (${instance.adapter}) serves a track of each of its example rows`, { timeout: 120_000 }, async () => {
    const rows = ROWS.filter((row) => routeOf([row.engine].flat().join(',')).includes(name));
    assert.ok(rows.length > 0, `examples/gateway-catalog.json has a row served by ${name}`);
    const upstream = await (UPSTREAMS[instance.adapter] as () => Promise<Upstream>)();
    const directory = mkdtempSync(join(tmpdir(), 'overture-example-tracks-'));
    const t = await startTestApp({
      directory,
      usd: 100,
      env: {
        OVERTURE_CATALOG: catalogPath,
        OVERTURE_ENGINES: await enginesCopy(directory, name, upstream),
        OVERTURE_ENGINE_THREADS: 'false',
        // waitForMedia polls every 25 ms: on a loaded machine a slow job must not meet the retrieve limit.
        OVERTURE_RATE_LIMIT_RETRIEVE: '100000',
      },
      parts: { env: KEYS },
    }).catch(async (error) => {
      await upstream.close();
      throw error;
    });
    try {
      let charged = 0;
      for (const row of rows) {
        const format = row.model_spec.default_format ?? 'mp3';
        let usage: PriceInput;
        if (row.type === 'music') {
          const seconds = row.model_spec.min_duration ?? 5;
          usage = { durationSeconds: seconds };
          const queued = await t.request('POST', '/api/v1/audio/queue', {
            model: row.id,
            prompt: 'a calm piano piece with soft strings',
            duration_seconds: seconds,
          });
          assert.equal(queued.statusCode, 200, `${row.id}: ${queued.body}`);
          const id = queued.json().queue_id as string;
          const media = await waitForMedia(t, row.id, id, undefined, 60_000);
          assert.equal(media.statusCode, 200, `${row.id}: ${media.body}`);
          assert.equal(media.headers['content-type'], CONTENT_TYPES[format], row.id);
          const audio = await decodeAudio(media.rawPayload, format);
          const duration = (audio.channels[0] as Float32Array).length / audio.sampleRate;
          assert.ok(Math.abs(duration - seconds) < 0.25, `${row.id}: ${duration} s decoded, ${seconds} s asked`);
          const job = await t.app.store.jobs.getJob(t.account.account_id, id);
          assert.equal(job?.upstream?.instance, name, `${row.id} was served by ${name}`);
          const complete = await t.request('POST', '/api/v1/audio/complete', { model: row.id, queue_id: id });
          assert.deepEqual(complete.json(), { success: true });
        } else {
          const input = 'Every example row serves a track through its adapter.';
          usage = { characterCount: input.length };
          const speech = await t.request('POST', '/api/v1/audio/speech', { model: row.id, input });
          assert.equal(speech.statusCode, 200, `${row.id}: ${speech.body}`);
          assert.equal(speech.headers['content-type'], CONTENT_TYPES[format], row.id);
          const audio = await decodeAudio(speech.rawPayload, format);
          const duration = (audio.channels[0] as Float32Array).length / audio.sampleRate;
          const expected = input.length * upstream.speechRate;
          assert.ok(duration > expected * 0.6 && duration < expected * 1.5 + 0.2, `${row.id}: ${duration} s for ${expected} s of text`);
        }
        charged += priceJob(catalogModelSchema.parse(row), usage).usd;
        const totals = await t.app.store.ledger.ledgerTotals(t.account.account_id);
        assert.equal(totals.captured, charged, `${row.id}: its price captured once`);
        assert.equal(totals.held, 0, `${row.id}: no hold left open`);
      }
      const received = upstream.served();
      if (received !== undefined) assert.equal(received, rows.length, `${name} received one request a row`);
      await assertLedgerInvariants(t.app.store, t.account.account_id);
    } finally {
      await t.close();
      await upstream.close();
    }
  });
}
