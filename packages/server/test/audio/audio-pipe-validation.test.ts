import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAudioPipe, MalformedAudioError } from '../../src/audio/audio-pipe.js';
import type { AudioFormat } from '../../src/ports/engine.js';
import { MemorySink } from '../support/audio-decode.js';
import { adtsFrames, encode, encodeStreaming, runPipe, tone } from './audio-pipe-fixtures.js';

const STEREO = tone(44100, 0.5, [440, 660]);
const cut = (bytes: Uint8Array, dropped: number) => bytes.subarray(0, bytes.length - dropped);

/** Offset of the last Ogg page. */
function lastPageStart(bytes: Uint8Array): number {
  for (let offset = bytes.length - 4; offset >= 0; offset--) {
    if (bytes[offset] === 0x4f && bytes[offset + 1] === 0x67 && bytes[offset + 2] === 0x67 && bytes[offset + 3] === 0x53) return offset;
  }
  return -1;
}

/** Truncated or damaged inputs, each with the format it claims to be. */
async function damagedInputs(): Promise<[string, AudioFormat, Uint8Array][]> {
  const wav = await encode(STEREO, 'wav');
  const mp3 = await encode(STEREO, 'mp3');
  const flac = await encode(STEREO, 'flac');
  const opus = await encode(STEREO, 'opus');
  const pcm = await encode(tone(24000, 0.5), 'pcm');
  const streamingFlac = await encodeStreaming(STEREO, 'flac');
  const flacFrameless = flac.subarray(0, 42);
  const mp3Garbled = new Uint8Array([...mp3.subarray(0, 2000), ...new Uint8Array(300).fill(7), ...mp3.subarray(2000)]);
  const emptyWav = wav.slice(0, 44);
  emptyWav.fill(0, 40, 44);
  const opusCorrupt = opus.slice();
  opusCorrupt[opusCorrupt.length - 5] ^= 0xff;
  return [
    ['wav data shorter than its header says', 'wav', cut(wav, 100)],
    ['streaming wav cut mid-sample', 'wav', cut(await encodeStreaming(STEREO, 'wav'), 1)],
    ['wav header without its audio', 'wav', wav.subarray(0, 44)],
    ['wav with an empty data chunk', 'wav', emptyWav],
    ['mp3 whose last frame is cut', 'mp3', cut(mp3, 50)],
    ['mp3 with garbage between frames', 'mp3', mp3Garbled],
    ['flac ending mid-frame', 'flac', cut(flac, 10)],
    ['streaming flac ending mid-frame', 'flac', cut(streamingFlac, 3)],
    ['flac with metadata only', 'flac', flacFrameless],
    ['opus ending mid-page', 'opus', cut(opus, 10)],
    ['opus missing its last page', 'opus', opus.subarray(0, lastPageStart(opus))],
    ['opus with a corrupt page', 'opus', opusCorrupt],
    ['pcm ending mid-sample', 'pcm', cut(pcm, 1)],
    ['aac ending mid-frame', 'aac', cut(adtsFrames(5), 3)],
  ];
}

describe('audio pipe: malformed input', () => {
  it('rejects every truncated or damaged input at end(), passing through or converting', async () => {
    for (const [name, format, input] of await damagedInputs()) {
      const targets: AudioFormat[] = format === 'aac' ? ['aac'] : [format, format === 'wav' ? 'mp3' : 'wav'];
      for (const target of targets) {
        for (const source of [format, format === 'pcm' ? format : undefined]) {
          await assert.rejects(runPipe(input, { target, source }, 777), MalformedAudioError, `${name} → ${target} (source ${source})`);
        }
      }
    }
  });

  it('rejects garbage, an empty answer and bytes that are not the format the upstream claimed', async () => {
    const html = new TextEncoder().encode('<html><body>502 Bad Gateway</body></html>');
    await assert.rejects(runPipe(html, { target: 'mp3' }), { name: 'MalformedAudioError', message: /not audio/ });
    const noise = Uint8Array.from({ length: 5000 }, (_, index) => (index * 7919) % 251);
    await assert.rejects(runPipe(noise, { target: 'wav' }), /not audio/);
    await assert.rejects(runPipe(new Uint8Array(0), { target: 'mp3' }), /not audio/);
    const mp3 = await encode(STEREO, 'mp3');
    for (const source of ['wav', 'flac', 'opus'] as const) {
      await assert.rejects(runPipe(mp3, { target: 'mp3', source }), MalformedAudioError, source);
    }
    await assert.rejects(runPipe(await encode(STEREO, 'wav'), { target: 'wav', source: 'mp3' }), MalformedAudioError);
  });

  it('rejects input beyond maxInputBytes, passing through or converting', async () => {
    const wav = await encode(STEREO, 'wav');
    for (const target of ['wav', 'mp3'] as const) {
      await assert.rejects(runPipe(wav, { target, maxInputBytes: 50000 }, 4096), { name: 'MalformedAudioError', message: /too large/ });
      assert.equal((await runPipe(wav, { target, maxInputBytes: wav.length })).durationSeconds, 0.5);
    }
  });

  it('explains that aac cannot be decoded, and that aac cannot be encoded', async () => {
    await assert.rejects(runPipe(adtsFrames(20), { target: 'mp3' }), /aac input cannot be decoded in this build/);
    await assert.rejects(runPipe(adtsFrames(20), { target: 'aac', sampleRate: 44100 }), /aac input cannot be decoded/);
    await assert.rejects(runPipe(await encode(STEREO, 'mp3'), { target: 'aac' }), /aac/);
  });

  it('keeps failing after an error', async () => {
    const pipe = createAudioPipe({ target: 'wav', sink: new MemorySink(), maxInputBytes: 10 });
    await assert.rejects(pipe.write(new Uint8Array(11)), /too large/);
    await assert.rejects(pipe.write(new Uint8Array(1)), /too large/);
    await assert.rejects(pipe.end(), /too large/);
  });
});
