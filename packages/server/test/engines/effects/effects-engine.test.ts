import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureIntegratedLoudness, measureTruePeakDb } from '../../../src/audio/loudness.js';
import { EFFECT_FAMILIES } from '../../../src/engines/effects/effect-families.js';
import { createEffectsEngine } from '../../../src/engines/effects/effects-engine.js';
import { planEffect } from '../../../src/engines/effects/effect-plan.js';
import { EFFECT_SAMPLE_RATE, renderEffect } from '../../../src/engines/effects/render-effect.js';
import { RENDERERS } from '../../../src/engines/effects/renderers.js';
import { EngineRejection, type EngineRequest } from '../../../src/ports/engine.js';
import { decodeAudio, MemorySink, rms } from '../../support/audio-decode.js';
import { musicRequest } from '../../support/engine-harness.js';

/** A second of rain as WAV, seed 1234; `overrides` replace any field. */
const request = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
  musicRequest({ modelId: 'test-effects', requestId: 'test', prompt: 'rain', durationSeconds: 1, format: 'wav', seed: 1234, ...overrides });

const callOptions = () => ({ signal: new AbortController().signal, onProgress: () => {} });

/** Zero crossings per second of the left channel: a cheap brightness measure. */
function crossingRate(data: Float32Array): number {
  let count = 0;
  for (let i = 1; i < data.length; i++) if ((data[i - 1] as number) < 0 !== (data[i] as number) < 0) count++;
  return (count * EFFECT_SAMPLE_RATE) / data.length;
}

describe('effect families', () => {
  it('has at least 40 families, each with words that select it and a renderer', () => {
    assert.ok(EFFECT_FAMILIES.length >= 40);
    for (const family of EFFECT_FAMILIES) {
      assert.ok(family.triggers.length + (family.scene?.length ?? 0) > 0, family.name);
      assert.ok(RENDERERS[family.name], `renderer for ${family.name}`);
      const plan = planEffect((family.triggers[0] ?? family.scene?.[0]) as string);
      assert.ok(plan.ok && plan.plan.layers[0]?.family === family, `${family.name} is chosen by its first word`);
    }
  });

  for (const family of EFFECT_FAMILIES.map((entry) => (entry.triggers[0] ?? entry.scene?.[0]) as string)) {
    it(`"${family}" renders exactly 1.5 s, audible and mastered`, () => {
      const audio = renderEffect({ prompt: family, durationSeconds: 1.5, seed: 7, loop: false });
      assert.equal(audio.channels.length, 2);
      assert.equal(audio.channels[0]?.length, Math.round(1.5 * EFFECT_SAMPLE_RATE));
      assert.ok(rms(audio.channels[0] as Float32Array) > 0.01, 'not silent');
      assert.ok(measureTruePeakDb(audio) <= -0.9);
      const loudness = measureIntegratedLoudness(audio);
      assert.ok(loudness > -19 && loudness < -12, `loudness ${loudness}`);
    });
  }
});

describe('prompt analysis', () => {
  it('layers families and applies a modifier to the word it precedes', () => {
    const outcome = planEffect('Heavy rain with distant thunder');
    assert.ok(outcome.ok);
    const { plan } = outcome;
    assert.deepEqual(
      plan.layers.map((layer) => layer.family.name),
      ['rain', 'thunder'],
    );
    assert.equal(plan.layers[0]?.modifiers.intensity, 1.6);
    assert.equal(plan.layers[0]?.modifiers.distant, false);
    assert.equal(plan.layers[1]?.modifiers.distant, true);
  });

  it('refuses a prompt that names no sound it knows, saying what it can make', async () => {
    const outcome = planEffect('a quiet purple elephant');
    assert.equal(outcome.ok, false);
    assert.match(outcome.ok ? '' : outcome.message, /cannot make this prompt.*animals \(.*dog.*\).*weather \(rain, wind, thunder\)/);
    const engine = createEffectsEngine();
    assert.deepEqual(engine.check?.(request({ prompt: 'a quiet purple elephant' })), {
      field: 'prompt',
      message: outcome.ok ? '' : outcome.message,
    });
    assert.equal(engine.check?.(request({ prompt: 'a dog barking' })), undefined);
    const sink = new MemorySink();
    await assert.rejects(
      engine.generate(request({ prompt: 'a quiet purple elephant' }), sink, callOptions()),
      (error: unknown) => error instanceof EngineRejection && error.kind === 'invalid_input' && /It makes: /.test(error.message),
    );
    assert.equal(sink.bytes().length, 0, 'nothing written');
    assert.throws(() => renderEffect({ prompt: '', durationSeconds: 1, seed: 1, loop: false }), EngineRejection);
  });

  it('chooses scene words only when nothing else is named', () => {
    const names = (prompt: string) => {
      const outcome = planEffect(prompt);
      return outcome.ok ? outcome.plan.layers.map((layer) => layer.family.name) : [];
    };
    assert.deepEqual(names('forest'), ['birds']);
    assert.deepEqual(names('footsteps in a forest'), ['footsteps']);
    assert.deepEqual(names('pouring water into a glass'), ['water']);
    assert.deepEqual(names('a glass bottle shattering'), ['glass']);
    assert.deepEqual(names('car horn'), ['horn']);
    assert.deepEqual(names('laser shot'), ['laser']);
  });
});

describe('effects engine', () => {
  it('gives different prompts measurably different sounds', () => {
    const rain = renderEffect({ prompt: 'rain', durationSeconds: 1, seed: 1, loop: false });
    const engine = renderEffect({ prompt: 'engine idling', durationSeconds: 1, seed: 1, loop: false });
    const rainRate = crossingRate(rain.channels[0] as Float32Array);
    const engineRate = crossingRate(engine.channels[0] as Float32Array);
    assert.ok(rainRate > engineRate * 3, `rain ${rainRate} vs engine ${engineRate}`);
    const close = renderEffect({ prompt: 'thunder', durationSeconds: 2, seed: 1, loop: false });
    const far = renderEffect({ prompt: 'distant thunder', durationSeconds: 2, seed: 1, loop: false });
    assert.ok(crossingRate(far.channels[0] as Float32Array) < crossingRate(close.channels[0] as Float32Array));
  });

  it('is deterministic in the seed', async () => {
    const engine = createEffectsEngine();
    const outputs: Uint8Array[] = [];
    for (const seed of [5, 5, 6]) {
      const sink = new MemorySink();
      await engine.generate(request({ prompt: 'fire with wind', seed }), sink, callOptions());
      outputs.push(sink.bytes());
    }
    assert.deepEqual(outputs[0], outputs[1]);
    assert.notDeepEqual(outputs[0], outputs[2]);
  });

  it('loops without a click at the seam', () => {
    for (const prompt of ['rain', 'engine', 'sci-fi hum', 'crowd']) {
      const audio = renderEffect({ prompt, durationSeconds: 2, seed: 3, loop: true });
      const data = audio.channels[0] as Float32Array;
      assert.equal(data.length, 2 * EFFECT_SAMPLE_RATE);
      let typicalStep = 0;
      for (let i = 1; i < data.length; i++) typicalStep = Math.max(typicalStep, Math.abs((data[i] as number) - (data[i - 1] as number)));
      const seamStep = Math.abs((data[0] as number) - (data[data.length - 1] as number));
      assert.ok(seamStep <= typicalStep, `${prompt}: seam ${seamStep} vs largest step ${typicalStep}`);
      const window = 2205;
      const head = rms(data, 0, window);
      const tail = rms(data, data.length - window);
      assert.ok(head / tail < 2 && tail / head < 2, `${prompt}: energy head ${head} tail ${tail}`);
    }
  });

  for (const format of createEffectsEngine().formats) {
    it(`writes ${format} that decodes to the requested length`, async () => {
      const sink = new MemorySink();
      const progress: number[] = [];
      const result = await createEffectsEngine().generate(request({ format, durationSeconds: 2, prompt: 'birds' }), sink, {
        signal: new AbortController().signal,
        onProgress: (fraction) => progress.push(fraction),
      });
      assert.equal(result.durationSeconds, 2);
      assert.equal(progress.at(-1), 1);
      const decoded = await decodeAudio(sink.bytes(), format);
      const seconds = (decoded.channels[0]?.length ?? 0) / decoded.sampleRate;
      assert.ok(seconds >= 1.99 && seconds <= 2.01 + (format === 'mp3' ? 0.06 : 0), `${format}: ${seconds}`);
      assert.ok(rms(decoded.channels[0] as Float32Array) > 0.01);
    });
  }

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      createEffectsEngine().generate(request(), new MemorySink(), { signal: controller.signal, onProgress: () => {} }),
      (error: Error) => error.name === 'AbortError',
    );
  });
});
