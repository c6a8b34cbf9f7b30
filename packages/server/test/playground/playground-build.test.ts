import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Fastify from 'fastify';
import { BUDGET_BYTES, buildPlayground, PLAYGROUND_FILES } from '../../playground/build.mjs';
import { PLAYGROUND_POLICY, registerPlaygroundRoutes } from '../../src/http/playground-routes.js';
import { startTestApp } from '../support/test-app.js';

test('the playground builds under its gzipped budget and loads nothing from elsewhere', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-playground-'));
  try {
    const { gzippedBytes } = await buildPlayground(directory);
    assert.ok(gzippedBytes > 1000 && gzippedBytes <= BUDGET_BYTES, `${gzippedBytes} bytes gzipped`);
    const html = readFileSync(join(directory, 'index.html'), 'utf8');
    // Every URL the page names is one of its own files, on this origin (the empty icon aside); no inline script or style.
    const urls = [...html.matchAll(/(?:src|href)="([^"#]+)"/g)].map((match) => match[1]).filter((url) => url !== 'data:,');
    assert.deepEqual(urls.sort(), ['/playground/playground.css', '/playground/playground.js']);
    assert.doesNotMatch(html, /<script>|<style>|style="/);
    assert.equal(PLAYGROUND_FILES.length, 3);
    assert.doesNotMatch(readFileSync(join(directory, 'playground.js'), 'utf8'), /https?:\/\/(?!www\.w3\.org)/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('/ serves the page under a same-origin policy, and its assets', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'overture-playground-'));
  const t = await startTestApp({ env: { OVERTURE_PLAYGROUND: 'false' } });
  try {
    await buildPlayground(directory);
    registerPlaygroundRoutes(t.app.http, directory);
    const page = await t.request('GET', '/', undefined, null);
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.equal(page.headers['content-security-policy'], PLAYGROUND_POLICY);
    assert.match(PLAYGROUND_POLICY, /default-src 'self'/);
    const script = await t.request('GET', '/playground/playground.js', undefined, null);
    assert.equal(script.statusCode, 200);
    assert.match(script.headers['content-type'] as string, /^text\/javascript/);
    const style = await t.request('GET', '/playground/playground.css', undefined, null);
    assert.match(style.headers['content-type'] as string, /^text\/css/);
  } finally {
    await t.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

test('OVERTURE_PLAYGROUND=false leaves / unrouted; an unbuilt playground says how to build it', async () => {
  const off = await startTestApp({ env: { OVERTURE_PLAYGROUND: 'false' } });
  const empty = mkdtempSync(join(tmpdir(), 'overture-playground-'));
  try {
    const answer = await off.request('GET', '/', undefined, null);
    assert.equal(answer.statusCode, 404);
    assert.deepEqual(answer.json(), { error: 'Not found' });
    const bare = Fastify();
    registerPlaygroundRoutes(bare, empty);
    const unbuilt = await bare.inject({ method: 'GET', url: '/' });
    assert.equal(unbuilt.statusCode, 503);
    assert.match(unbuilt.json().error, /npm run build/);
  } finally {
    await off.close();
    rmSync(empty, { recursive: true, force: true });
  }
});
