/**
 * Overture's server as a library: compose it with `createApp` and, to serve a model of your
 * own, pass an `Engine` (the engine port) in `parts.engines` or register an `EngineAdapter`.
 *
 * ```ts
 * import { createApp, loadConfig } from '@overture/server';
 * const app = await createApp(loadConfig(), { engines: [myEngine] });
 * await app.start();
 * ```
 */
export { type App, type AppParts, createApp } from './app/create-app.js';
export { type Config, ConfigError, loadConfig } from './app/config.js';
export { CatalogError } from './domain/catalog.js';
export type { AudioFormat, GenerationRequest } from './domain/generation-request.js';
export {
  type ByteSink,
  type Engine,
  type EngineCallOptions,
  type EngineCapabilities,
  type EngineFeature,
  EngineRejection,
  type EngineRequest,
  type EngineResult,
  type EngineVoice,
  type ProgressReporter,
  StopReason,
  type UpstreamEntry,
  type UpstreamJournal,
} from './ports/engine.js';
export type { AdapterContext, EngineAdapter, InstanceSettings } from './ports/engine-adapter.js';
export { ENGINE_ADAPTERS } from './engines/engine-adapters.js';
export { EnginesFileError } from './engines/engines-file.js';
export { UpstreamBusy, UpstreamFailure } from './engines/remote/upstream-errors.js';
