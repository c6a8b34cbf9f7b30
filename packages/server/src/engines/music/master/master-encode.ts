/**
 * Master the mixed audio and encode it, on two threads where it pays: when the mix is in shared
 * memory, this thread and the render worker each measure half of it, the mastering gain is
 * predicted from the joined statistics, and long MP3s are limited and encoded half per thread
 * straight from the unlimited mix (joined at a clean frame). Otherwise one thread masters in place.
 */
import { encodeAudio } from '../../../audio/encode-audio.js';
import { encodeMp3Halves } from '../../../audio/parallel-mp3.js';
import type { PcmAudio } from '../../../audio/pcm-audio.js';
import type { AudioFormat, ByteSink } from '../../../ports/engine.js';
import { encodeMp3TailInWorker, rangeChunksInWorker } from '../render/render-pool.js';
import { ChunkStats, rangeChunks } from './chunk-stats.js';
import { encodeLimitedMp3 } from './limited-mp3.js';
import { limiterCeiling, type MasterTargets, masteringGain } from './master-mix.js';
import { limitInPlace } from './peak-limiter.js';

/** From this length on, statistics are measured by two threads. */
const PARALLEL_STATS_SECONDS = 12;
/** From this length on, MP3 is limited and encoded in two halves at once. */
const PARALLEL_MP3_SECONDS = 20;

const isShared = (audio: PcmAudio) => audio.channels.every((data) => data.buffer instanceof SharedArrayBuffer);

/** Loudness statistics of the whole mix, the second half measured in the worker when it is shared. */
export async function mixStats(audio: PcmAudio): Promise<ChunkStats> {
  const { sampleRate, channels } = audio;
  const frames = channels[0]?.length ?? 0;
  if (!isShared(audio) || frames < PARALLEL_STATS_SECONDS * sampleRate) {
    const stats = new ChunkStats(sampleRate, channels.length);
    stats.push(channels);
    return stats;
  }
  const chunk = new ChunkStats(sampleRate, 0).chunkFrames;
  const middle = Math.round(frames / 2 / chunk) * chunk;
  const second = rangeChunksInWorker({ channels, sampleRate, from: middle, to: frames });
  second.catch(() => {});
  const first = rangeChunks(channels, sampleRate, 0, middle);
  const rest = await second;
  return ChunkStats.fromChunks(sampleRate, [...first.energies, ...rest.energies], [...first.peaks, ...rest.peaks], frames);
}

/**
 * Master `audio` to `targets` and write it to `sink` in `format`; `audio` may be limited in place.
 * `onEncode` is called when the gain is known and limiting and encoding start.
 */
export async function masterAndEncode(
  audio: PcmAudio,
  format: AudioFormat,
  sink: ByteSink,
  targets: MasterTargets,
  onEncode?: () => void,
): Promise<void> {
  const gain = masteringGain(await mixStats(audio), targets);
  onEncode?.();
  const ceiling = limiterCeiling(targets);
  const { sampleRate, channels } = audio;
  const frames = channels[0]?.length ?? 0;
  if (format === 'mp3' && isShared(audio) && frames >= PARALLEL_MP3_SECONDS * sampleRate) {
    const limit = { sampleRate, gain, ceiling };
    return encodeMp3Halves(
      {
        frames,
        head: (end) => encodeLimitedMp3(channels, limit, 0, end),
        tail: (start) => encodeMp3TailInWorker(channels, sampleRate, start, limit),
      },
      sink,
    );
  }
  limitInPlace(channels, sampleRate, gain, ceiling);
  return encodeAudio(audio, format, sink);
}
