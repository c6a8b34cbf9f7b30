/**
 * The `command` adapter through the engine conformance suite, running the test program
 * (support/command-program.ts, a real child process): as a music engine writing WAV on stdout
 * of the length asked for, and as a speech engine reading the text on stdin and writing a file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandAdapter } from '../../../src/engines/command/command-adapter.js';
import type { EngineRequest } from '../../../src/ports/engine.js';
import { writeCommandProgram } from '../../support/command-program.js';
import { createEngine, instanceSettings, musicRequest } from '../../support/engine-harness.js';
import { type ConformanceSubject, engineConformance } from '../engine-conformance.js';

const request = (overrides: Partial<EngineRequest> = {}): EngineRequest =>
  musicRequest({ modelId: 'local-music', options: { model: 'small-v1' }, ...overrides });

async function subject(
  options: Record<string, unknown>,
  args: (script: string) => string[],
  rest: Omit<ConformanceSubject, 'engine' | 'close'>,
): Promise<ConformanceSubject> {
  const dir = await mkdtemp(join(tmpdir(), 'command-conformance-'));
  const script = await writeCommandProgram(dir);
  const engine = createEngine(
    commandAdapter,
    instanceSettings('local-model', {
      concurrency: 1,
      requestTimeoutMs: 60_000,
      options: { program: process.execPath, arguments: args(script), invalid_input_exit_code: 64, ...options },
    }),
  );
  return { engine, ...rest, close: () => rm(dir, { recursive: true, force: true }) };
}

engineConformance('command (music rows: WAV on stdout, the length asked for)', () => {
  const asked = request();
  return subject({}, (script) => [script, '--duration={duration_seconds}', '--prompt={prompt}'], {
    request: asked,
    timing: 'duration',
    reject: { request: { ...asked, prompt: 'REFUSE to play' }, kind: 'invalid_input' },
  });
});

engineConformance('command (tts rows: the text on stdin, a file out)', () => {
  const asked = request({ modelType: 'tts', durationSeconds: undefined, prompt: 'The quick brown fox jumps over the lazy dog.' });
  return subject({ stdin: 'prompt', output: 'file' }, (script) => [script, '--read-stdin', '--out={output}', '--prompt={prompt}'], {
    request: asked,
    timing: 'speech',
    reject: { request: { ...asked, prompt: 'REFUSE to speak' }, kind: 'invalid_input' },
  });
});
