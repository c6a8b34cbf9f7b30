import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { fastLaneOf } from '../../src/http/http-server.js';
import { buildOpenApi } from '../../src/http/openapi.js';
import { startTestApp } from '../support/test-app.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** `/a/:id/b` and `/a/{queue_id}/b` name the same route. */
const normalise = (path: string) => path.replace(/:[A-Za-z_]+/g, '{}').replace(/\{[A-Za-z_]+\}/g, '{}');

/** Every `METHOD path` Fastify registered, read from its route tree (HEAD is Fastify's own twin of GET). */
function registeredRoutes(tree: string): Set<string> {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│├└─\s]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    // Each level is indented by four characters; a child's segment extends its parent's path.
    const depth = Math.max(0, Math.round((match[1] as string).length / 4) - 1);
    const path = `${depth === 0 ? '' : stack[depth - 1]}${match[2]}`.replace('//', '/');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] as string).split(', ')) if (method !== 'HEAD') routes.add(`${method} ${normalise(path)}`);
  }
  return routes;
}

function documentedRoutes(): Set<string> {
  const paths = buildOpenApi().paths as Record<string, Record<string, unknown>>;
  return new Set(
    Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => `${method.toUpperCase()} ${normalise(path)}`),
    ),
  );
}

test('the OpenAPI document lists exactly the routes the server registers, fast lane included', async () => {
  const t = await startTestApp({ env: { OVERTURE_OPERATOR_TOKEN: 'operator-token-0123456789', OVERTURE_X402: 'true' } });
  try {
    await t.app.http.ready();
    const registered = registeredRoutes(t.app.http.printRoutes({ commonPrefix: false }));
    assert.ok(registered.size > 30, `the route tree was read (${registered.size} routes)`);
    const documented = documentedRoutes();
    assert.deepEqual(
      [...registered].filter((route) => !documented.has(route)),
      [],
      'registered but not documented',
    );
    // The playground's routes exist only when it is built; everything else must be registered.
    const optional = new Set(['GET /playground/playground.js', 'GET /playground/playground.css']);
    assert.deepEqual(
      [...documented].filter((route) => !registered.has(route) && !optional.has(route)),
      [],
      'documented but not registered',
    );
    const lane = fastLaneOf(t.app.http) as unknown as { routes: Map<string, unknown> } | undefined;
    for (const url of lane?.routes.keys() ?? []) assert.ok(documented.has(`POST ${normalise(url)}`), `fast-lane route ${url}`);
  } finally {
    await t.close();
  }
});

test('every operation has an operationId, tags and an explicit security list', () => {
  const document = buildOpenApi();
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, { operationId?: string; security?: unknown[] }>)) {
      assert.ok(operation.operationId, `${method} ${path} has an operationId`);
      assert.ok(!ids.has(operation.operationId), `${operation.operationId} is unique`);
      ids.add(operation.operationId);
      assert.ok(Array.isArray(operation.security), `${method} ${path} declares security`);
    }
  }
  const paths = document.paths as Record<string, Record<string, Record<string, never>>>;
  assert.deepEqual(paths['/healthz']?.get?.security, []);
  assert.deepEqual(paths['/operator/v1/costs']?.get?.security, [{ operatorToken: [] }]);
});

test('the document describes the two retrieve answers, the SSE stream, the headers and Idempotency-Key', () => {
  const paths = buildOpenApi().paths as Record<
    string,
    Record<string, { responses: Record<string, { content?: object; headers?: object }>; parameters?: object[] }>
  >;
  const retrieve = paths['/api/v1/audio/retrieve']?.post?.responses['200'];
  assert.ok(retrieve?.content && 'application/json' in retrieve.content && 'audio/mpeg' in retrieve.content);
  assert.ok(retrieve?.headers && 'x-venice-audio-duration' in retrieve.headers && 'x-ratelimit-remaining-requests' in retrieve.headers);
  assert.ok('x-venice-balance-usd' in (paths['/api/v1/audio/queue']?.post?.responses['200']?.headers ?? {}));
  assert.ok('text/event-stream' in (paths['/api/v1/audio/status/{queue_id}/events']?.get?.responses['200']?.content ?? {}));
  for (const route of ['/api/v1/audio/queue', '/api/v1/audio/speech'])
    assert.deepEqual(paths[route]?.post?.parameters, [{ $ref: '#/components/parameters/IdempotencyKey' }]);
  const history = paths['/api/v1/audio/jobs']?.get?.parameters as { name: string }[];
  assert.deepEqual(
    history.map((parameter) => parameter.name),
    ['limit', 'after'],
  );
});

test("the document passes Redocly's recommended rules with no errors", async () => {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(buildOpenApi()), absoluteRef: 'openapi.json', config });
  const errors = problems.filter((problem) => problem.severity === 'error');
  assert.deepEqual(
    errors.map((problem) => `${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`),
    [],
  );
  const warnings = problems.filter((problem) => problem.severity === 'warn').map((problem) => problem.ruleId);
  if (warnings.length > 0) console.log(`redocly warnings: ${[...new Set(warnings)].join(', ')} (${warnings.length})`);
});
