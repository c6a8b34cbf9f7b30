import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPaymentFacilitator } from '../../src/app/adapters.js';
import { loadConfig } from '../../src/app/config.js';

test('the payment facilitator is local by default and the remote one when its URL is set', () => {
  const local = loadConfig({}).x402;
  assert.ok(local);
  assert.deepEqual([openPaymentFacilitator(local).name, openPaymentFacilitator(local).settlesOnChain], ['local', false]);
  const remote = loadConfig({ OVERTURE_X402_FACILITATOR_URL: 'https://facilitator.example/x402' }).x402;
  assert.ok(remote);
  assert.deepEqual([openPaymentFacilitator(remote).name, openPaymentFacilitator(remote).settlesOnChain], ['http', true]);
  assert.equal(loadConfig({ OVERTURE_X402: 'false' }).x402, undefined, 'no x402, no facilitator to choose');
});
