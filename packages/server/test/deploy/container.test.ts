import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import dockerignore from '@balena/dockerignore';
import { dockerfileInstructions, healthcheckCommand, runHealthcheck } from './dockerfile.js';

// No Docker engine here: the image is checked through its Dockerfile, the build context a
// `docker build -f deploy/Dockerfile .` at the repository root would send (by the .dockerignore
// matcher Docker's own rules are ported to) and its health check run against real servers.
// CommonJS typed as `export default`: the factory is also its own `default`, which both TS and Node see.
const ignore = dockerignore.default;
const root = resolve(import.meta.dirname, '../../../..');
const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
const instructions = dockerfileInstructions(dockerfile);
const finalStage = instructions.slice(instructions.findLastIndex((instruction) => instruction.keyword === 'FROM'));
const argumentsOf = (keyword: string, stage = instructions) =>
  stage.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.arguments);

test('every stage starts from a slim Node LTS in support (22 or 24), not Node 20', () => {
  const bases = argumentsOf('FROM');
  assert.equal(bases.length, 2, 'a build stage and a run stage');
  for (const base of bases) assert.match(base, /^node:(22|24)-bookworm-slim( AS \w+)?$/);
});

test('the run stage is production, runs as the unprivileged node user, exposes 8080 and keeps data in a volume', () => {
  const users = argumentsOf('USER', finalStage);
  assert.deepEqual(users, ['node']);
  const environment = argumentsOf('ENV', finalStage).join(' ');
  assert.match(environment, /\bNODE_ENV=production\b/);
  const dataDirectory = /\bOVERTURE_DATA_DIR=(\S+)/.exec(environment)?.[1];
  assert.ok(dataDirectory && !dataDirectory.startsWith('/tmp'), 'a data directory outside /tmp');
  assert.deepEqual(argumentsOf('VOLUME', finalStage), [`["${dataDirectory}"]`]);
  assert.ok(
    argumentsOf('RUN', finalStage).some((run) => run.includes(`chown node:node ${dataDirectory}`)),
    'the node user owns the data directory',
  );
  assert.deepEqual(argumentsOf('EXPOSE', finalStage), ['8080']);
  assert.equal(argumentsOf('HEALTHCHECK', finalStage).length, 1);
  const userIndex = finalStage.findIndex((instruction) => instruction.keyword === 'USER');
  assert.ok(
    finalStage.slice(userIndex).every((instruction) => instruction.keyword !== 'RUN'),
    'nothing runs as root after USER',
  );
});

test('the compiler is only in the build stage, and no COPY takes the whole context or a data directory', () => {
  assert.ok(!argumentsOf('RUN', finalStage).some((run) => /\b(g\+\+|python3|apt-get)\b/.test(run)));
  for (const copy of argumentsOf('COPY')) {
    const sources = copy
      .split(/\s+/)
      .filter((word) => !word.startsWith('--'))
      .slice(0, -1);
    assert.ok(!sources.includes('.'), `COPY ${copy} copies the whole context`);
    assert.ok(!sources.some((source) => /(^|\/)data(\/|$)/.test(source)), `COPY ${copy} copies a data directory`);
  }
});

test('the image installs every optional adapter package, at a version the lock file has', () => {
  const argument = argumentsOf('ARG').find((value) => value.startsWith('OPTIONAL_PACKAGES='));
  const named = JSON.parse(argument?.slice('OPTIONAL_PACKAGES='.length) ?? '""').split(' ');
  const server = JSON.parse(readFileSync(join(root, 'packages/server/package.json'), 'utf8'));
  const optional = Object.entries(server.peerDependenciesMeta ?? {}).filter(([, meta]) => (meta as { optional?: boolean }).optional);
  for (const [name] of optional) assert.ok(named.includes(name), `the image leaves out ${name}`);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  for (const name of named) assert.ok(lock.packages[`node_modules/${name}`]?.version, `${name} is not in package-lock.json`);
  assert.ok(named.includes('pg') && named.includes('ioredis'), 'PostgreSQL and Redis, as compose.yaml uses them');
});

test('the build context of a checkout with local data, secrets and installs holds only the sources', () => {
  const checkout = mkdtempSync(join(tmpdir(), 'overture-context-'));
  try {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      writeFileSync(join(checkout, file), readFileSync(join(root, file)));
    }
    const planted = [
      'data/overture.sqlite',
      'data/overture.db',
      'data/media/0f/job.mp3',
      'packages/server/data/overture.sqlite-wal',
      '.env',
      '.git/config',
      'node_modules/fastify/package.json',
      'packages/server/node_modules/.bin/tsc',
      'packages/server/dist/index.js',
      'packages/sdk/tsconfig.tsbuildinfo',
      'bench/results/latest.json',
      'coverage/lcov.info',
      'track.wav',
      'song.mp3',
    ];
    for (const file of planted) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      writeFileSync(join(checkout, file), 'local');
    }
    writeFileSync(join(checkout, '.dockerignore'), readFileSync(join(root, '.dockerignore')));
    const matcher = ignore().add(readFileSync(join(checkout, '.dockerignore'), 'utf8'));
    const context = listFiles(checkout).filter((file) => !matcher.ignores(file));
    for (const file of planted) assert.ok(!context.includes(file), `${file} would be sent to the image build`);
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.base.json', 'packages/server/bin/overture.js'])
      assert.ok(context.includes(file), `${file} is missing from the build context`);
    assert.ok(context.some((file) => file.startsWith('packages/server/src/')));
    assert.ok(context.some((file) => file.startsWith('packages/server/catalogs/')));
    assert.ok(context.some((file) => file.startsWith('packages/sdk/src/')));
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
});

test("the image's health check passes against a serving API and a worker's health port, and fails with nothing there", async () => {
  const command = healthcheckCommand(dockerfile);
  assert.equal(command[0], 'node', 'the slim image has no curl: the check uses node');
  const checks = await runHealthcheck(command);
  assert.deepEqual(checks, { api: 0, worker: 0, closed: 1 });
});

/** Every file under `directory`, relative to it, with `/` separators as Docker matches them. */
function listFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split('\\').join('/'));
}
