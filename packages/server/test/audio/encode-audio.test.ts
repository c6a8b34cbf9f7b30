import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_TYPES, createStreamingEncoder, ENCODABLE_FORMATS, PCM_SAMPLE_RATE } from '../../src/audio/encode-audio.js';
import { decodeAudio, MemorySink, rms, zeroCrossingFrequency } from '../support/audio-decode.js';
import { encode, tone } from './audio-pipe-fixtures.js';

/** Allowed extra length after decoding: MP3 keeps LAME's delay and padding. */
const LENGTH_TOLERANCE_SECONDS: Record<string, number> = { wav: 0, flac: 0, pcm: 0.001, opus: 0.001, mp3: 0.08 };

describe('encodeAudio', () => {
  it('lists every format but aac as encodable and has content types', () => {
    assert.deepEqual([...ENCODABLE_FORMATS].sort(), ['flac', 'mp3', 'opus', 'pcm', 'wav']);
    for (const format of ENCODABLE_FORMATS) assert.match(CONTENT_TYPES[format], /^audio\//);
  });

  it('rejects aac with a clear error', async () => {
    await assert.rejects(encode(tone(44100, 0.1, [440]), 'aac' as never), /aac/);
  });

  for (const format of ENCODABLE_FORMATS) {
    it(`${format}: decodes to the same length and pitch`, async () => {
      const input = tone(44100, 1.5, [440, 660]);
      const decoded = await decodeAudio(await encode(input, format), format);
      const seconds = (decoded.channels[0]?.length ?? 0) / decoded.sampleRate;
      assert.ok(seconds >= 1.5 - 0.001, `${format} too short: ${seconds}`);
      assert.ok(seconds <= 1.5 + (LENGTH_TOLERANCE_SECONDS[format] ?? 0), `${format} too long: ${seconds}`);
      assert.equal(decoded.channels.length, format === 'pcm' ? 1 : 2);
      if (format === 'pcm') assert.equal(decoded.sampleRate, PCM_SAMPLE_RATE);
      const left = decoded.channels[0] as Float32Array;
      const middle = left.subarray(Math.floor(left.length * 0.2), Math.floor(left.length * 0.8));
      if (format !== 'pcm') {
        assert.ok(Math.abs(zeroCrossingFrequency(middle, decoded.sampleRate) - 440) < 2);
        assert.ok(
          Math.abs(zeroCrossingFrequency((decoded.channels[1] as Float32Array).subarray(20000, 40000), decoded.sampleRate) - 660) < 3,
        );
        assert.ok(Math.abs(rms(middle) - 0.5 / Math.SQRT2) < 0.03, `level ${rms(middle)}`);
      } else {
        assert.ok(rms(middle) > 0.1, 'downmix of two tones is not silent');
      }
    });
  }

  it('flac is lossless', async () => {
    const input = tone(48000, 0.7, [1000.5, 97]);
    const decoded = await decodeAudio(await encode(input, 'flac'), 'flac');
    const reference = await decodeAudio(await encode(input, 'wav'), 'wav');
    assert.equal(decoded.channels.length, 2);
    for (let channel = 0; channel < 2; channel++) {
      const got = decoded.channels[channel] as Float32Array;
      const want = reference.channels[channel] as Float32Array;
      assert.equal(got.length, want.length);
      for (let i = 0; i < got.length; i++) {
        if (Math.abs((got[i] as number) - (want[i] as number)) > 1.5 / 32768) assert.fail(`sample ${i} differs`);
      }
    }
  });
});

describe('createStreamingEncoder', () => {
  for (const format of ENCODABLE_FORMATS) {
    it(`${format}: writes bytes per chunk and decodes to the whole input (22050 Hz mono)`, async () => {
      const sink = new MemorySink();
      const encoder = createStreamingEncoder(format, 22050, 1, sink);
      const sentence = tone(22050, 0.6, [300]);
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        await encoder.write(sentence);
        counts.push(sink.chunks.length);
      }
      await encoder.end();
      assert.ok((counts[2] as number) > (counts[0] as number), 'bytes arrive before end()');
      const decoded = await decodeAudio(sink.bytes(), format);
      const seconds = (decoded.channels[0]?.length ?? 0) / decoded.sampleRate;
      assert.ok(Math.abs(seconds - 1.8) <= 0.002 + (format === 'mp3' ? 0.1 : 0), `${format} length ${seconds}`);
      const data = decoded.channels[0] as Float32Array;
      const middle = data.subarray(Math.floor(data.length * 0.3), Math.floor(data.length * 0.7));
      assert.ok(Math.abs(zeroCrossingFrequency(middle, decoded.sampleRate) - 300) < 2);
    });
  }

  it('streaming wav marks its sizes as unknown', async () => {
    const sink = new MemorySink();
    const encoder = createStreamingEncoder('wav', 22050, 1, sink);
    await encoder.write(tone(22050, 0.1, [300]));
    await encoder.end();
    const view = new DataView(sink.bytes().buffer);
    assert.equal(view.getUint32(4, true), 0xffffffff);
    assert.equal(view.getUint32(40, true), 0xffffffff);
  });
});
