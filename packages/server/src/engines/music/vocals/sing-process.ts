/**
 * Child process entry: sings each note it is sent on its own and sends the samples back, packed to
 * 16 bits, one note per message. Singing in a process of its own, which then exits, gives all of eSpeak NG's memory
 * (its data, WASM memory, snapshots and the allocations of singing) back to the system before a
 * long render starts; a worker thread would leave much of it in the process's allocator.
 */
import { singPhrase } from '../../speech/sing.js';
import type { VocalNote } from './vocal-line.js';

/** What to sing. */
export interface SingJob {
  readonly notes: readonly VocalNote[];
  readonly sampleRate: number;
  readonly voice?: string;
  readonly language?: string;
}

/** A sung note kept compactly: sample i is `samples[i] × step` (16 bits scaled to the note's own peak). */
export interface PackedNote {
  readonly samples: Int16Array;
  readonly step: number;
}

/** One message back: a note's samples, the end, or a failure. */
export type SingReply = { readonly index: number; readonly note: PackedNote } | { readonly done: true } | { readonly error: string };

/**
 * 16 bits per sample, scaled to the note's peak: half the memory of floats (a 600 s song with
 * 4,096 characters of lyrics that never repeat has ~80 MB of float notes), with the rounding noise
 * ~96 dB under the note's peak, below what the 16-bit output files keep.
 */
export function packNote(samples: Float32Array): PackedNote {
  let peak = 0;
  for (const value of samples) peak = Math.max(peak, Math.abs(value));
  const step = peak > 0 ? peak / 32767 : 1;
  const packed = new Int16Array(samples.length);
  for (let index = 0; index < samples.length; index++) packed[index] = Math.round((samples[index] as number) / step);
  return { samples: packed, step };
}

const send = (reply: SingReply) =>
  new Promise<void>((resolve, reject) => process.send?.(reply, undefined, {}, (error) => (error ? reject(error) : resolve())));

process.once('message', async (job: SingJob) => {
  try {
    const collectGarbage = (globalThis as { gc?: () => void }).gc;
    for (const [index, note] of job.notes.entries()) {
      // eSpeak keeps a 16 MB copy of its memory per voice and pitch, and each note leaves buffers
      // behind: free them between pitches (notes come sorted by pitch) and every few notes,
      // rather than when the heap decides to.
      if (index > 0 && (index % 16 === 0 || note.midiPitch !== job.notes[index - 1]?.midiPitch)) collectGarbage?.();
      const voice = await singPhrase([{ ...note, startSeconds: 0 }], {
        sampleRate: job.sampleRate,
        voice: job.voice,
        language: job.language,
      });
      await send({ index, note: packNote(voice.channels[0] ?? new Float32Array(0)) });
    }
    await send({ done: true });
  } catch (error) {
    await send({ error: String(error) });
  }
  process.disconnect();
});
