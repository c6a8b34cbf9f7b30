import type { Score } from '../../packages/server/dist/engines/music/compose/score.js';

/** Ticks per quarter note; with the fixed 120 BPM tempo below, one second is 960 ticks. */
const DIVISION = 480;
const TICKS_PER_SECOND = DIVISION * 2;

/** A variable-length quantity, as SMF delta times are written. */
function varLength(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) bytes.unshift((rest & 0x7f) | 0x80);
  return bytes;
}

/**
 * The score as a format-0 Standard MIDI File: channel set-up (program, volume, pan, reverb and
 * chorus sends) at time 0, then every note on and off at its time in seconds (tempo fixed at
 * 120 BPM so seconds map straight to ticks; swing and tempo are already in the note times).
 */
export function scoreToMidi(score: Score): Uint8Array {
  const timed: { tick: number; order: number; bytes: number[] }[] = [];
  for (const setup of score.channels) {
    const status = (kind: number) => kind | (setup.channel & 0x0f);
    timed.push({ tick: 0, order: 0, bytes: [status(0xc0), setup.program & 0x7f] });
    for (const [controller, value] of [
      [7, setup.volume],
      [10, setup.pan],
      [91, setup.reverb],
      [93, setup.chorus],
    ] as const)
      timed.push({ tick: 0, order: 0, bytes: [status(0xb0), controller, Math.max(0, Math.min(127, Math.round(value)))] });
  }
  for (const note of score.notes) {
    const on = Math.round(note.startSeconds * TICKS_PER_SECOND);
    const off = Math.max(on + 1, Math.round((note.startSeconds + note.durationSeconds) * TICKS_PER_SECOND));
    const velocity = Math.max(1, Math.min(127, Math.round(note.velocity)));
    timed.push({ tick: on, order: 2, bytes: [0x90 | note.channel, note.pitch & 0x7f, velocity] });
    timed.push({ tick: off, order: 1, bytes: [0x80 | note.channel, note.pitch & 0x7f, 0] });
  }
  timed.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const track: number[] = [0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20];
  let last = 0;
  for (const event of timed) {
    track.push(...varLength(event.tick - last), ...event.bytes);
    last = event.tick;
  }
  const end = Math.round(score.durationSeconds * TICKS_PER_SECOND);
  track.push(...varLength(Math.max(0, end - last)), 0xff, 0x2f, 0x00);
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, DIVISION >> 8, DIVISION & 0xff];
  const length = track.length;
  const chunk = [0x4d, 0x54, 0x72, 0x6b, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff];
  return Uint8Array.from([...header, ...chunk, ...track]);
}
