import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudioPipe, formatOfContentType, sniffAudioFormat } from '../../src/audio/audio-pipe.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { decodeAudio, MemorySink } from '../support/audio-decode.js';
import { adtsFrames, encode, encodeStreaming, runPipe, secondsOf, tone } from './audio-pipe-fixtures.js';

const STEREO = tone(44100, 1, [440, 660]);
const MONO_24K = tone(24000, 1);
const PASSABLE: readonly AudioFormat[] = ['mp3', 'wav', 'flac', 'opus', 'pcm'];
const inputOf = (format: AudioFormat) => encode(format === 'pcm' ? MONO_24K : STEREO, format);

describe('sniffAudioFormat and formatOfContentType', () => {
  it('recognises every format the project writes, ADTS and nothing else', async () => {
    for (const format of ['mp3', 'wav', 'flac', 'opus'] as const) assert.equal(sniffAudioFormat(await inputOf(format)), format);
    assert.equal(sniffAudioFormat(new TextEncoder().encode('ID3\u0004\0\0\0\0\0\0')), 'mp3');
    assert.equal(sniffAudioFormat(adtsFrames(2)), 'aac');
    assert.equal(sniffAudioFormat(new TextEncoder().encode('<html><body>Bad gateway</body></html>')), undefined);
    assert.equal(sniffAudioFormat(new Uint8Array(0)), undefined);
  });

  it('maps content types, ignoring parameters and case', () => {
    const expected: Record<string, AudioFormat | undefined> = {
      'audio/mpeg': 'mp3',
      'Audio/MP3; charset=binary': 'mp3',
      'audio/x-wav': 'wav',
      'audio/wave': 'wav',
      'audio/x-flac': 'flac',
      'audio/ogg; codecs=opus': 'opus',
      'audio/aac': 'aac',
      'audio/L16; rate=24000': 'pcm',
      'application/json': undefined,
      constructor: undefined,
    };
    for (const [type, format] of Object.entries(expected)) assert.equal(formatOfContentType(type), format, type);
    assert.equal(formatOfContentType(null), undefined);
  });
});

describe('audio pipe: same format in and out', () => {
  for (const format of PASSABLE) {
    it(`${format}: passes the bytes through unchanged with the real duration, in 1-, 7- and 64 KiB-byte chunks`, async () => {
      const input = await inputOf(format);
      const decoded = await decodeAudio(input, format);
      const tolerance = format === 'mp3' ? 1152 / 44100 : 0.02;
      for (const chunkSize of [1, 7, 65536]) {
        const run = await runPipe(input, { target: format, source: format === 'pcm' ? 'pcm' : undefined }, chunkSize);
        assert.deepEqual(run.output, input, `${format} in ${chunkSize}-byte chunks`);
        assert.equal(run.bytesWritten, input.length);
        assert.ok(Math.abs(run.durationSeconds - secondsOf(decoded)) <= tolerance, `${format}: ${run.durationSeconds}`);
        if (format !== 'mp3') assert.ok(Math.abs(run.durationSeconds - 1) <= 0.001, `${format}: ${run.durationSeconds}`);
      }
    });
  }

  it('counts the data of streaming WAV (size 0xFFFFFFFF) and the frames of streaming FLAC (total 0)', async () => {
    for (const format of ['wav', 'flac'] as const) {
      const input = await encodeStreaming(STEREO, format);
      const run = await runPipe(input, { target: format, source: format }, 1000);
      assert.deepEqual(run.output, input);
      assert.equal(run.durationSeconds, 1);
    }
  });

  it('finds the tiny FLAC frames of digital silence (CONSTANT subframes)', async () => {
    const silence = tone(44100, 1, [0, 0]);
    for (const input of [await encode(silence, 'flac'), await encodeStreaming(silence, 'flac')]) {
      assert.ok(input.length < 1000, `${input.length} bytes`);
      assert.equal((await runPipe(input, { target: 'flac' }, 5)).durationSeconds, 1);
    }
  });

  it('skips an ID3v2 tag and accepts an ID3v1 tag after the last MP3 frame', async () => {
    const frames = await inputOf('mp3');
    const tag = new Uint8Array([...new TextEncoder().encode('ID3'), 4, 0, 0, 0, 0, 0, 20, ...new Uint8Array(20)]);
    const trailer = new Uint8Array(128).fill(32);
    trailer.set(new TextEncoder().encode('TAG'));
    const input = new Uint8Array([...tag, ...frames, ...trailer]);
    const plain = await runPipe(frames, { target: 'mp3' });
    const run = await runPipe(input, { target: 'mp3' }, 333);
    assert.deepEqual(run.output, input);
    assert.equal(run.durationSeconds, plain.durationSeconds);
  });

  it('passes ADTS AAC through, counting 1024 samples a frame', async () => {
    const input = adtsFrames(30);
    const run = await runPipe(input, { target: 'aac' }, 7);
    assert.deepEqual(run.output, input);
    assert.ok(Math.abs(run.durationSeconds - (30 * 1024) / 24000) < 1e-9);
  });

  it('keeps passing through when the wanted sample rate is the source rate (or the codec fixes it)', async () => {
    for (const [format, sampleRate] of [
      ['wav', 44100],
      ['flac', 44100],
      ['mp3', 44100],
      ['opus', 16000],
    ] as const) {
      const input = await inputOf(format);
      assert.deepEqual((await runPipe(input, { target: format, sampleRate })).output, input, format);
    }
  });

  it('resolves each write only after the sink accepted its bytes', async () => {
    const input = await inputOf('wav');
    let accepted = 0;
    const pipe = createAudioPipe({
      target: 'wav',
      sink: { write: (chunk) => new Promise((resolve) => setTimeout(() => resolve(void (accepted += chunk.length)), 1)) },
    });
    let fed = 0;
    for (let start = 0; start < input.length; start += 20000) {
      const chunk = input.subarray(start, start + 20000);
      await pipe.write(chunk);
      fed += chunk.length;
      assert.equal(accepted, fed);
    }
    assert.equal((await pipe.end()).bytesWritten, input.length);
  });

  it('abort() makes later calls reject, also when called while a write waits on the sink', async () => {
    let entered: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sink = {
      async write() {
        entered();
        await gate;
      },
    };
    const pipe = createAudioPipe({ target: 'wav', source: 'mp3', sink });
    const writing = pipe.write(await inputOf('mp3'));
    await reached;
    pipe.abort();
    release();
    await writing;
    await assert.rejects(pipe.write(new Uint8Array(10)), /aborted/);
    await assert.rejects(pipe.end(), /aborted/);
    const idle = createAudioPipe({ target: 'wav', sink: new MemorySink() });
    idle.abort();
    await assert.rejects(idle.end(), /aborted/);
  });
});
