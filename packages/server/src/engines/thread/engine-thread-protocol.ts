/** Messages between an engine's proxy on the main thread and the engine on its own thread. */
import type { EngineRejection, EngineRequest, EngineResult } from '../../ports/engine.js';

/** What the thread's `workerData` holds: which built-in engine to create there. */
export interface EngineThreadData {
  readonly engine: string;
}

/** Main thread → engine thread. */
export type ToEngineThread =
  | { readonly type: 'generate'; readonly id: number; readonly request: EngineRequest }
  | { readonly type: 'abort'; readonly id: number }
  /** The sink took a chunk (or refused it with `error`): the engine may write the next. */
  | { readonly type: 'written'; readonly id: number; readonly error?: string };

/** An error as it crosses threads; `EngineRejection`s keep their kind, suggestion and reason. */
export interface ThreadError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly kind?: EngineRejection['kind'];
  readonly suggestedPrompt?: string;
  readonly reason?: EngineRejection['reason'];
}

/** Engine thread → main thread. */
export type FromEngineThread =
  | { readonly type: 'chunk'; readonly id: number; readonly chunk: Uint8Array }
  | { readonly type: 'progress'; readonly id: number; readonly fraction: number; readonly stage?: string }
  | { readonly type: 'done'; readonly id: number; readonly result: EngineResult }
  | { readonly type: 'failed'; readonly id: number; readonly error: ThreadError };
