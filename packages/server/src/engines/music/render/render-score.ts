/** Render a score's notes with spessasynth_core into stereo PCM, block by block, sample-accurately. */
import { SpessaSynthProcessor } from 'spessasynth_core';
import type { Score } from '../compose/score.js';
import { installFastReverb } from './fast-reverb.js';
import { createSilentChorus } from './silent-chorus.js';
import { loadSoundFont } from './soundfont.js';
import { hasTexture, TextureFilter } from './texture-filter.js';

/** A MIDI event at a sample position. */
interface TimedEvent {
  readonly frame: number;
  /** 0 = note off, 1 = note on (offs sort first at equal frames). */
  readonly kind: 0 | 1;
  readonly channel: number;
  readonly pitch: number;
  readonly velocity: number;
}

/** Options of `renderScore`. */
export interface RenderOptions {
  readonly sampleRate: number;
  /** Only these channels (stems); all when undefined. */
  readonly channels?: readonly number[];
  /** Frames to render (the score length plus any tail to fold for loops). */
  readonly frames: number;
  /** Called with each rendered block: [left, right] views valid only during the call, and the block's first frame. */
  readonly onBlock: (left: Float32Array, right: Float32Array, startFrame: number) => void | Promise<void>;
  readonly signal?: AbortSignal;
  /** Absolute frame of the score's time zero in the piece (a split render's start), for the texture's noise; default 0. */
  readonly startFrame?: number;
  /** Use spessasynth_core's own reverb routine (for tests comparing the two); default false. */
  readonly originalReverb?: boolean;
}

const BLOCK = 1024;
/** Frames rendered between yields to the event loop (about 0.75 s). */
const CHUNK = 32 * BLOCK;

/** Build the sorted event list of the chosen channels. */
export function scoreEvents(score: Score, sampleRate: number, channels?: readonly number[]): TimedEvent[] {
  const events: TimedEvent[] = [];
  for (const note of score.notes) {
    if (channels && !channels.includes(note.channel)) continue;
    const on = Math.round(note.startSeconds * sampleRate);
    const off = Math.max(on + 1, Math.round((note.startSeconds + note.durationSeconds) * sampleRate));
    events.push({ frame: on, kind: 1, channel: note.channel, pitch: note.pitch, velocity: note.velocity });
    events.push({ frame: off, kind: 0, channel: note.channel, pitch: note.pitch, velocity: 0 });
  }
  return events.sort((left, right) => left.frame - right.frame || left.kind - right.kind);
}

/** Render the score (or some of its channels) and hand every chunk to `onBlock`. */
export async function renderScore(score: Score, options: RenderOptions): Promise<void> {
  const bank = await loadSoundFont();
  const synth = new SpessaSynthProcessor(options.sampleRate, {
    maxBufferSize: BLOCK,
    effectsEnabled: true,
    eventsEnabled: false,
    chorusProcessor: createSilentChorus(),
  });
  synth.soundBankManager.addSoundBank(bank, 'gm');
  await synth.processorInitialized;
  if (!options.originalReverb) installFastReverb(synth);
  synth.setSystemParameter('voiceCap', 256);
  synth.setSystemParameter('interpolationType', 0);
  for (const setup of score.channels) {
    if (options.channels && !options.channels.includes(setup.channel)) continue;
    synth.programChange(setup.channel, setup.program);
    synth.controllerChange(setup.channel, 7, setup.volume);
    synth.controllerChange(setup.channel, 10, setup.pan);
    synth.controllerChange(setup.channel, 91, setup.reverb);
    synth.controllerChange(setup.channel, 93, setup.chorus);
  }
  const events = scoreEvents(score, options.sampleRate, options.channels);
  // Stems (a subset of channels) stay clean: the texture colours the whole mix.
  const texture = hasTexture(score.texture) && !options.channels ? new TextureFilter(score.texture, options.sampleRate) : undefined;
  const left = new Float32Array(CHUNK);
  const right = new Float32Array(CHUNK);
  let next = 0;
  for (let chunkStart = 0; chunkStart < options.frames; chunkStart += CHUNK) {
    options.signal?.throwIfAborted();
    const chunkFrames = Math.min(CHUNK, options.frames - chunkStart);
    left.fill(0, 0, chunkFrames);
    right.fill(0, 0, chunkFrames);
    let position = 0;
    while (position < chunkFrames) {
      const absolute = chunkStart + position;
      while (next < events.length && (events[next] as TimedEvent).frame <= absolute) {
        const event = events[next++] as TimedEvent;
        if (event.kind === 1) synth.noteOn(event.channel, event.pitch, event.velocity);
        else synth.noteOff(event.channel, event.pitch);
      }
      const nextFrame = next < events.length ? (events[next] as TimedEvent).frame - chunkStart : chunkFrames;
      const count = Math.max(1, Math.min(BLOCK, chunkFrames - position, nextFrame - position));
      synth.process(left, right, position, count);
      position += count;
    }
    texture?.process(left, right, chunkFrames, (options.startFrame ?? 0) + chunkStart);
    await options.onBlock(left.subarray(0, chunkFrames), right.subarray(0, chunkFrames), chunkStart);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
