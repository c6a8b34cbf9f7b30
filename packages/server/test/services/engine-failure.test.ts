import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyFailure } from '../../src/jobs/run-job.js';
import { EngineRejection, StopReason } from '../../src/ports/engine.js';
import { speechError } from '../../src/services/engine-failure.js';
import { UpstreamBusy, UpstreamFailure } from '../../src/engines/remote/upstream-errors.js';

const unspeakable = new EngineRejection('invalid_input', 'Input must contain speakable text', undefined, 'no_speakable_text');
const POLICY = { error: 'Your prompt violates the content policy. Please revise it and try again.' };
const CAPACITY = { error: 'The model is at capacity. Please try again later.' };
const FAILED = { error: 'Inference processing failed' };

test('a job attempt: rejections are final except capacity; anything else is a retried 500', () => {
  const cases: [unknown, number, object, boolean][] = [
    [new EngineRejection('refused', 'no key'), 500, { ...FAILED, detail: 'no key' }, false],
    [new EngineRejection('refused', 'no key', 'kept out'), 500, { ...FAILED, detail: 'no key' }, false],
    [new EngineRejection('content_policy', 'no'), 422, POLICY, false],
    [new EngineRejection('content_policy', 'no', 'a calm song'), 422, { ...POLICY, suggested_prompt: 'a calm song' }, false],
    [new EngineRejection('capacity', 'busy'), 503, CAPACITY, true],
    [new EngineRejection('capacity', 'busy', 'later'), 503, { ...CAPACITY, suggested_prompt: 'later' }, true],
    [new EngineRejection('invalid_input', 'too long'), 400, { error: 'too long' }, false],
    [new EngineRejection('invalid_input', 'too long', 'shorter'), 400, { error: 'too long', suggested_prompt: 'shorter' }, false],
    [unspeakable, 400, { error: 'Input must contain speakable text' }, false],
    [new UpstreamFailure('gpu-1 answered 502'), 500, FAILED, true],
    [new UpstreamBusy('gpu-1 is at capacity', undefined), 500, FAILED, true],
    [new StopReason('timed_out'), 500, FAILED, true],
    [new Error('a bug'), 500, FAILED, true],
    ['not even an Error', 500, FAILED, true],
  ];
  for (const [error, status, body, retryable] of cases) {
    const failure = classifyFailure(error, 3, 10_000);
    assert.deepEqual(failure, { status, body, retryable, retryAt: 14_000 }, String(error));
  }
});

test('/audio/speech before its first byte: a rejection is its API error, a remote failure a 503', () => {
  const before = { opened: false, aborted: false, remote: false };
  const cases: [unknown, typeof before, string | undefined, number | undefined, object | undefined][] = [
    [new EngineRejection('refused', 'no key'), before, 'inference_failed', 500, { ...FAILED, detail: 'no key' }],
    [
      new EngineRejection('content_policy', 'no', 'a calm song'),
      before,
      'content_policy',
      422,
      { ...POLICY, suggested_prompt: 'a calm song' },
    ],
    [new EngineRejection('capacity', 'busy', 'later'), before, 'capacity', 503, CAPACITY],
    [new EngineRejection('invalid_input', 'too long', 'shorter'), before, 'invalid_input', 400, { error: 'too long' }],
    [unspeakable, before, 'speakable_text', 400, { error: 'Input must contain speakable text' }],
    [unspeakable, { ...before, aborted: true }, 'speakable_text', 400, { error: 'Input must contain speakable text' }],
    [new UpstreamFailure('gpu-1 answered 502'), { ...before, remote: true }, 'capacity', 503, CAPACITY],
    [new UpstreamFailure('gpu-1 answered 502'), { ...before, remote: true, aborted: true }, undefined, undefined, undefined],
    [new Error('a bug'), before, undefined, undefined, undefined],
    [new EngineRejection('capacity', 'busy'), { ...before, opened: true }, undefined, undefined, undefined],
    [new UpstreamFailure('gone'), { opened: true, aborted: false, remote: true }, undefined, undefined, undefined],
  ];
  for (const [error, situation, code, status, body] of cases) {
    const api = speechError(error, situation);
    assert.deepEqual([api?.code, api?.status, api?.body()], [code, status, body], `${String(error)} ${JSON.stringify(situation)}`);
  }
});
