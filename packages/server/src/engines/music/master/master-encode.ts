/**
 * Master the mixed audio and encode it, on two threads where it pays: when the mix is in shared
 * memory, this thread and the render worker each measure half of it, the mastering gain is
 * predicted from the joined statistics, and long MP3s are limited and encoded half per thread
 * straight from the unlimited mix (joined at a clean frame). Otherwise one thread masters in place.
 */
import { encodeAudio } from '../../../audio/encode-audio.js';
import { encodeMp3Halves } from '../../../audio/parallel-mp3.js';
import type { PcmAudio } from '../../../audio/pcm-audio.js';
import { BufferSink, encodeWithinTruePeak, writeBytes } from '../../../audio/verified-encode.js';
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
 * `onEncode` is called when the gain is known and limiting and encoding start. The file is
 * decoded and metered before it is written: when the codec overshoots the true-peak limit, the
 * limiter holds that much lower and the file is encoded again (`encodeWithinTruePeak`).
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
  const { sampleRate, channels } = audio;
  const frames = channels[0]?.length ?? 0;
  const parallel = format === 'mp3' && isShared(audio) && frames >= PARALLEL_MP3_SECONDS * sampleRate;
  let limitedGain = 1;
  const bytes = await encodeWithinTruePeak(
    format,
    async (headroomDb) => {
      const ceiling = limiterCeiling(targets) * 10 ** (-headroomDb / 20);
      const out = new BufferSink();
      if (parallel) {
        // The mix stays unlimited (each half is limited as it is encoded): limit it afresh.
        const limit = { sampleRate, gain, ceiling };
        await encodeMp3Halves(
          {
            frames,
            head: (end) => encodeLimitedMp3(channels, limit, 0, end),
            tail: (start) => encodeMp3TailInWorker(channels, sampleRate, start, limit),
          },
          out,
        );
      } else {
        // Limited in place: a later attempt limits the limited audio again, lower.
        limitInPlace(channels, sampleRate, gain / limitedGain, ceiling);
        limitedGain = gain;
        await encodeAudio(audio, format, out);
      }
      return out.bytes();
    },
    targets.truePeakDb,
  );
  await writeBytes(bytes, sink);
}
