import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestApp } from '../../support/test-app.js';

test('/docs and its assets are served from this server, cached for good, with no external URL', async () => {
  const t = await startTestApp();
  try {
    const page = await t.request('GET', '/docs', undefined, null);
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(page.body, /https?:\/\//, 'the page names no other host');
    const policy = String(page.headers['content-security-policy']);
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.match(policy, /connect-src 'self'(;|$)/);
    const urls = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
    assert.equal(urls.length, 4, 'an icon, a stylesheet and two scripts');
    for (const url of urls) {
      assert.match(url, /^\/docs\/assets\/[\w.-]+\?v=[0-9a-f]{12}$/);
      const asset = await t.request('GET', url, undefined, null);
      assert.equal(asset.statusCode, 200, url);
      assert.match(String(asset.headers['cache-control']), /max-age=31536000/);
      assert.match(
        String(asset.headers['content-type']),
        /\.css\?/.test(url) ? /^text\/css/ : /\.png\?/.test(url) ? /^image\/png$/ : /^text\/javascript/,
      );
      assert.ok(asset.rawPayload.length > 0);
    }
    const initializer = await t.request('GET', urls.find((url) => url.includes('reference.js')) as string, undefined, null);
    assert.match(initializer.body, /url: '\/openapi\.json'/);
    assert.match(initializer.body, /validatorUrl: null/, 'no call to the public validator');
    assert.doesNotMatch(initializer.body, /https?:\/\//);
    const missing = await t.request('GET', '/docs/assets/nothing.js', undefined, null);
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: 'Not found' });
  } finally {
    await t.close();
  }
});
