import type { Engine, EngineRequest } from '../../packages/server/dist/ports/engine.js';

/** An engine named `tone` that records when each job reaches it (by the prompt) and writes a few bytes. */
export function createProbeEngine(onStart: (request: EngineRequest, at: number) => void): Engine {
  return {
    name: 'tone',
    formats: ['mp3', 'wav', 'flac', 'opus', 'aac', 'pcm'],
    concurrency: 4,
    async generate(request, sink) {
      onStart(request, performance.now());
      await sink.write(new Uint8Array(64));
      return { durationSeconds: request.durationSeconds ?? 1 };
    },
  };
}
