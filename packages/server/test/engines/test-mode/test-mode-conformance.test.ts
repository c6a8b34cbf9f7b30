/** The test-mode engine's success behaviour through the engine conformance suite (engine-conformance.ts). */
import { createTestModeEngine } from '../../../src/engines/test-mode/test-mode-engine.js';
import { musicRequest } from '../../support/engine-harness.js';
import { subjectOf } from '../conformance-subject.js';
import { engineConformance } from '../engine-conformance.js';

engineConformance('test (test mode, succeed)', async () =>
  subjectOf(createTestModeEngine(), {
    request: musicRequest({ modelId: 'test-ok', options: { behaviour: 'succeed' }, durationSeconds: 2 }),
    timing: 'duration',
    refuse: { modelId: 'test-content-policy', options: { behaviour: 'content_policy' } },
    kind: 'content_policy',
  }),
);
