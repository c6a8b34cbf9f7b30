/** A chorus processor that does nothing: the music engine uses no chorus, and this saves its CPU time. */
import type { ChorusProcessor } from 'spessasynth_core';

/** Create a no-op chorus for `SpessaSynthProcessor`'s `chorusProcessor` option. */
export function createSilentChorus(): ChorusProcessor {
  const settings = {
    level: 0,
    preLowpass: 0,
    feedback: 0,
    delay: 0,
    rate: 0,
    depth: 0,
    sendLevelToReverb: 0,
    sendLevelToDelay: 0,
  };
  return {
    ...settings,
    process() {},
    getSnapshot() {
      return { ...settings };
    },
  } as ChorusProcessor;
}
