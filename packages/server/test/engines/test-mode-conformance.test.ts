/** The test-mode engine's success behaviour through the engine conformance suite (engine-conformance.ts). */
import { createTestModeEngine } from '../../src/engines/test-mode/test-mode-engine.js';
import { closing, musicRequest } from '../support/engine-harness.js';
import { engineConformance } from './engine-conformance.js';

engineConformance('test (test mode, succeed)', async () => {
  const engine = createTestModeEngine();
  return {
    engine,
    request: musicRequest({ modelId: 'test-ok', options: { behaviour: 'succeed' }, durationSeconds: 2 }),
    timing: 'duration',
    reject: { request: musicRequest({ modelId: 'test-content-policy', options: { behaviour: 'content_policy' } }), kind: 'content_policy' },
    close: closing(engine),
  };
});
