/**
 * The sung voice of a long piece, made note by note as a stream reaches it and kept in one-second
 * pages only while its echoes still need it: memory stays bounded however long the piece. Each
 * note's samples come from the bank of notes sung on their own and are added at the frame (and in
 * the order) `singPhrase` uses for the whole line, so the voice is that of singing it at once (to
 * the bank's 16 bits per note).
 */
import { LevelMeter, VOICE_ECHOES } from './add-vocals.js';
import type { PackedNote } from './sing-process.js';
import { noteKey, type VoiceBank } from './voice-bank.js';
import type { VocalNote } from './vocal-line.js';

export class VoiceTrack {
  /** Frames of the whole-line voice buffer. */
  readonly length: number;
  private readonly pageFrames: number;
  private readonly pages = new Map<number, Float32Array>();
  private readonly echoFrames: number[];
  private readonly longestEcho: number;
  private readonly meter = new LevelMeter();
  private metered = 0;
  private nextNote = 0;

  constructor(
    private readonly notes: readonly VocalNote[],
    private readonly bank: VoiceBank,
    private readonly sampleRate: number,
  ) {
    const end = notes.reduce((latest, note) => Math.max(latest, note.startSeconds + note.durationSeconds), 0);
    this.length = Math.ceil(end * sampleRate);
    this.pageFrames = sampleRate;
    this.echoFrames = VOICE_ECHOES.map(([seconds]) => Math.round(seconds * sampleRate));
    this.longestEcho = Math.max(0, ...this.echoFrames);
  }

  /** The voice's level measure over every frame read so far (all of it after `finish`). */
  get level(): number {
    return this.meter.level;
  }

  /**
   * The voice for `count` frames from `start`, at unit gain, as mixed into the band: centred dry
   * voice plus its echoes, left and right. `bandFrames` is the band's length (the voice is cut
   * there, as in the one-buffer mix). Calls must move forward through the piece.
   */
  contribution(start: number, count: number, bandFrames: number): [Float32Array, Float32Array] {
    const from = start - this.longestEcho;
    const dry = this.read(from, start + count);
    const audible = Math.min(bandFrames, this.length);
    const left = new Float32Array(count);
    const right = new Float32Array(count);
    for (let index = 0; index < count && start + index < audible; index++) {
      left[index] = dry[index + this.longestEcho] as number;
      right[index] = dry[index + this.longestEcho] as number;
    }
    VOICE_ECHOES.forEach(([, leftGain, rightGain], echo) => {
      const offset = this.echoFrames[echo] as number;
      const first = Math.max(0, offset - start);
      const last = Math.min(count, audible + offset - start);
      for (let index = first; index < last; index++) {
        const wet = dry[index + this.longestEcho - offset] as number;
        left[index] = (left[index] as number) + wet * leftGain;
        right[index] = (right[index] as number) + wet * rightGain;
      }
    });
    this.forget(start + count - this.longestEcho);
    return [left, right];
  }

  /** Measure the rest of the voice (past the band's end, if any), so `level` covers all of it. */
  finish(): void {
    for (let start = this.metered; start < this.length; start += this.pageFrames) {
      this.read(start, Math.min(this.length, start + this.pageFrames));
      this.forget(start);
    }
  }

  /** Dry voice for frames [from, to), all notes starting before `to` placed; frames are metered once, in order. */
  private read(from: number, to: number): Float32Array {
    if (from > this.metered && this.metered < this.length) this.read(this.metered, from);
    this.placeNotesBefore(to);
    const out = new Float32Array(to - from);
    for (let frame = Math.max(0, from); frame < to; ) {
      const page = Math.floor(frame / this.pageFrames);
      const within = frame - page * this.pageFrames;
      const take = Math.min(this.pageFrames - within, to - frame);
      const data = this.pages.get(page);
      if (data) out.set(data.subarray(within, within + take), frame - from);
      frame += take;
    }
    const meterFrom = Math.max(this.metered, from);
    const meterTo = Math.min(to, this.length);
    if (meterTo > meterFrom) {
      this.meter.push(out.subarray(meterFrom - from, meterTo - from));
      this.metered = meterTo;
    }
    return out;
  }

  private placeNotesBefore(frame: number): void {
    while (this.nextNote < this.notes.length) {
      const note = this.notes[this.nextNote] as VocalNote;
      const offset = Math.round(note.startSeconds * this.sampleRate);
      if (offset >= frame) return;
      this.nextNote++;
      const packed = this.bank.get(noteKey(note));
      if (!packed) throw new Error(`note "${note.syllable}" missing from the voice bank`);
      this.add(packed, offset);
    }
  }

  /** Add `samples` from frame `offset` on, cut at the end of the voice (as the whole-line buffer is). */
  private add({ samples, step }: PackedNote, offset: number): void {
    const end = Math.min(this.length, offset + samples.length);
    for (let frame = Math.max(0, offset); frame < end; ) {
      const page = Math.floor(frame / this.pageFrames);
      let data = this.pages.get(page);
      if (!data) {
        data = new Float32Array(this.pageFrames);
        this.pages.set(page, data);
      }
      const within = frame - page * this.pageFrames;
      const take = Math.min(this.pageFrames - within, end - frame);
      for (let index = 0; index < take; index++) {
        data[within + index] = (data[within + index] as number) + (samples[frame - offset + index] as number) * step;
      }
      frame += take;
    }
  }

  /** Drop the pages that end before `frame`. */
  private forget(frame: number): void {
    for (const page of this.pages.keys()) if ((page + 1) * this.pageFrames <= frame) this.pages.delete(page);
  }
}
