/**
 * A streaming encoder whose output holds a true-peak limit once decoded, for audio written piece
 * by piece (spoken sentences, each ending in a pause). Every piece is true-peak limited, then
 * encoded first by a shadow encoder whose bytes are decoded and metered (BS.1770-4). The live
 * encoder — the one writing to the sink — gets a piece only once the shadow's decoded output has
 * passed the piece's end and stayed under the limit; both encoders are deterministic and fed the
 * same pieces, so the live bytes are the verified bytes. When the shadow overshoots, the pieces
 * not yet live are limited with more headroom and a fresh shadow replays the stream so far.
 * Output lags the input by about one piece; memory holds the stream's limited audio for replays,
 * up to REPLAY_LIMIT_SECONDS (after that an overshoot fails the stream instead of serving it).
 */
import type { AudioFormat, ByteSink } from '../ports/engine.js';
import { PCM_SAMPLE_RATE } from './frame-codecs.js';
import { limitTruePeak } from './master-audio.js';
import type { PcmAudio } from './pcm-audio.js';
import { createPcmDecoder, type PcmDecoder } from './pcm-decoders.js';
import { createStreamingEncoder, type StreamingEncoder } from './streaming-encoder.js';
import { TruePeakStream } from './true-peak-stream.js';
import { SERVED_TRUE_PEAK_DB } from './verified-encode.js';

/** Seconds of decoded output past a piece's end before it counts as verified (covers MP3's 1105-sample delay). */
const VERIFY_MARGIN_SECONDS = 0.1;
/** How far under the limit pieces are limited at first, dB (lossy codecs overshoot, lossless ones do not). */
const FIRST_HEADROOM_DB: Readonly<Partial<Record<AudioFormat, number>>> = { mp3: 0.6, opus: 0.6 };
/** Seconds of served audio kept for replays (53 MB of mono 22,050 Hz); past this an overshoot fails the stream. */
const REPLAY_LIMIT_SECONDS = 600;
const MAX_ATTEMPTS = 6;

interface Piece {
  readonly audio: PcmAudio;
  /** End of the piece in the stream, seconds. */
  readonly endSeconds: number;
  limited: PcmAudio;
}

interface Shadow {
  readonly encoder: StreamingEncoder;
  readonly decoder: PcmDecoder;
  readonly meter: TruePeakStream;
  decodedRate: number;
}

/** `createStreamingEncoder` whose decoded output stays at or under `truePeakDb` (see the file comment). */
export function createVerifiedStreamingEncoder(
  format: AudioFormat,
  sampleRate: number,
  channelCount: number,
  sink: ByteSink,
  truePeakDb = SERVED_TRUE_PEAK_DB,
): StreamingEncoder {
  const live = createStreamingEncoder(format, sampleRate, channelCount, sink);
  let accepted: PcmAudio[] | undefined = [];
  const pending: Piece[] = [];
  let headroomDb = FIRST_HEADROOM_DB[format] ?? 0.3;
  let streamSeconds = 0;
  let shadow: Shadow | undefined;

  const openShadow = async (): Promise<Shadow> => {
    const decoder = await createPcmDecoder(format, PCM_SAMPLE_RATE);
    const meter = new TruePeakStream(10 ** (truePeakDb / 20));
    const opened: Shadow = { decoder, meter, decodedRate: 0, encoder: createStreamingEncoder(format, sampleRate, channelCount, { write }) };
    async function write(chunk: Uint8Array): Promise<void> {
      const decoded = await decoder.decode(chunk);
      if (decoded.sampleRate > 0) opened.decodedRate = decoded.sampleRate;
      meter.push(decoded);
    }
    return opened;
  };
  const closeShadow = () => {
    shadow?.decoder.free();
    shadow = undefined;
  };
  const over = () => (shadow?.meter.peak ?? 0) > 10 ** (truePeakDb / 20);
  const verifiedSeconds = () => (shadow && shadow.decodedRate > 0 ? shadow.meter.frames / shadow.decodedRate - VERIFY_MARGIN_SECONDS : 0);

  /** Feed the shadow the pending pieces (after replaying the accepted ones when it is new). */
  const feedShadow = async (pieces: readonly Piece[], finish: boolean) => {
    if (!shadow) {
      if (!accepted)
        throw new Error(`The ${format} stream overshot ${truePeakDb} dBTP after ${REPLAY_LIMIT_SECONDS} s, too late to replay`);
      shadow = await openShadow();
      for (const audio of accepted) await shadow.encoder.write(audio);
      pieces = pending;
    }
    for (const piece of pieces) await shadow.encoder.write(piece.limited);
    if (finish) {
      await shadow.encoder.end();
      shadow.meter.push(await shadow.decoder.flush());
      shadow.meter.finish();
    }
  };

  /** Shadow-encode `pieces` (and finish when `finish`) until nothing overshoots; then move verified pieces live. */
  const advance = async (pieces: readonly Piece[], finish: boolean) => {
    await feedShadow(pieces, finish);
    for (let attempt = 1; over(); attempt++) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`The ${format} stream still overshoots ${truePeakDb} dBTP after ${MAX_ATTEMPTS} attempts`);
      headroomDb += 20 * Math.log10(shadow?.meter.peak ?? 1) - truePeakDb + 0.1 * attempt;
      for (const piece of pending) piece.limited = limitTruePeak(piece.audio, truePeakDb - headroomDb);
      closeShadow();
      await feedShadow(pending, finish);
    }
    while (pending.length > 0 && (finish || (pending[0] as Piece).endSeconds <= verifiedSeconds())) {
      const piece = pending.shift() as Piece;
      await live.write(piece.limited);
      accepted?.push(piece.limited);
      if (piece.endSeconds > REPLAY_LIMIT_SECONDS) accepted = undefined;
    }
  };

  return {
    async write(pcm) {
      streamSeconds += (pcm.channels[0]?.length ?? 0) / pcm.sampleRate;
      const piece: Piece = { audio: pcm, endSeconds: streamSeconds, limited: limitTruePeak(pcm, truePeakDb - headroomDb) };
      pending.push(piece);
      await advance([piece], false);
    },
    async end() {
      try {
        await advance([], true);
        await live.end();
      } finally {
        closeShadow();
      }
    },
  };
}
