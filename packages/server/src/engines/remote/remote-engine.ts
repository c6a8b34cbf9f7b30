import type { AudioFormat, Engine } from '../../ports/engine.js';
import type { InstanceSettings } from '../../ports/engine-adapter.js';

/** What a remote engine writes: whatever its upstream answers, `receiveAudio` converts to these (aac has no encoder in this build). */
export const CONVERTED_FORMATS: readonly AudioFormat[] = ['mp3', 'wav', 'flac', 'opus', 'pcm'];

/** What an adapter adds to an instance's engine: its capabilities and calls (`formats` when not `CONVERTED_FORMATS`). */
export type RemoteEngineParts = Omit<Engine, 'name' | 'concurrency' | 'formats'> & Partial<Pick<Engine, 'formats'>>;

/** The engine of one remote instance: named after it, running its concurrency, writing `CONVERTED_FORMATS` unless `parts` says. */
export function remoteEngine(settings: InstanceSettings, parts: RemoteEngineParts): Engine {
  return { name: settings.name, formats: CONVERTED_FORMATS, concurrency: settings.concurrency, ...parts };
}
