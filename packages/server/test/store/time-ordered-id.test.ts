import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedId } from '../../src/store/time-ordered-id.js';

test('time-ordered ids are version 7 UUIDs that sort by their millisecond and never repeat', () => {
  const at = Date.UTC(2026, 10, 24, 12, 0, 0, 123);
  const id = timeOrderedId(at);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16), at, 'the first 48 bits are the milliseconds');
  const ids = Array.from({ length: 2000 }, (_, index) => timeOrderedId(at + Math.floor(index / 10)));
  assert.equal(new Set(ids).size, ids.length);
  const byMillisecond = ids.filter((_, index) => index % 10 === 0);
  assert.deepEqual([...byMillisecond].sort(), byMillisecond, 'later milliseconds sort later');
});
