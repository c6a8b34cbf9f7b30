import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { healthcheckCommand } from './dockerfile.js';

// No Docker Compose here: deploy/compose.yaml is parsed as Compose reads it (YAML 1.1 merge keys)
// and checked against the Compose specification's rules for build, image, pull_policy,
// healthcheck and depends_on (https://github.com/compose-spec/compose-spec/blob/main/spec.md).
const root = resolve(import.meta.dirname, '../../../..');
const deploy = join(root, 'deploy');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  pull_policy?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
}
const compose = parse(readFileSync(join(deploy, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const overture = services.filter(([, service]) => service.image === 'overture:local');

test('the Overture image is built once, from the repository root and its .dockerignore, and reused', () => {
  const builders = services.filter(([, service]) => service.build);
  assert.deepEqual(
    builders.map(([name]) => name),
    ['migrate'],
  );
  const build = builders[0]?.[1].build;
  assert.ok(build);
  const context = resolve(deploy, build.context);
  assert.equal(context, root);
  assert.ok(existsSync(join(context, build.dockerfile)), 'the Dockerfile is inside the context');
  assert.ok(existsSync(join(context, '.dockerignore')), 'a .dockerignore at the context root');
  assert.ok(overture.length >= 5);
  for (const [name, service] of overture)
    if (!service.build) assert.equal(service.pull_policy, 'never', `${name} would try to pull overture:local`);
});

test('every API and worker has a health check: the image one, on the port it serves', () => {
  const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8');
  const long = overture.filter(([, service]) => service.command?.[0] === 'serve');
  assert.ok(long.length >= 4);
  for (const [name, service] of long) {
    assert.deepEqual(service.healthcheck?.test, ['CMD', ...healthcheckCommand(dockerfile)], `${name}'s health check`);
    const worker = service.command?.includes('worker');
    assert.equal(worker, service.environment?.OVERTURE_HEALTH_PORT !== undefined, `${name}: health port on workers only`);
  }
});

test('start order: the database is healthy before migrate, and every server waits for migrate, Redis and the bucket', () => {
  const conditionsOf = (service: Service) => {
    assert.ok(service.depends_on && !Array.isArray(service.depends_on), 'depends_on with conditions');
    return Object.fromEntries(Object.entries(service.depends_on).map(([name, { condition }]) => [name, condition]));
  };
  assert.deepEqual(conditionsOf(compose.services.migrate as Service), { postgres: 'service_healthy' });
  for (const [name, service] of overture.filter(([, service]) => service.command?.[0] === 'serve'))
    assert.deepEqual(
      conditionsOf(service),
      { migrate: 'service_completed_successfully', redis: 'service_healthy', bucket: 'service_completed_successfully' },
      name,
    );
  for (const [name, service] of services)
    for (const [dependency, condition] of Object.entries(conditionsOf({ depends_on: service.depends_on ?? {} }))) {
      const target = compose.services[dependency];
      assert.ok(target, `${name} depends on a missing service ${dependency}`);
      if (condition === 'service_healthy') assert.ok(target.healthcheck, `${name} waits for ${dependency}'s health, which has no check`);
    }
});
