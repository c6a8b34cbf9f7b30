import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

// The units in deploy/systemd, read as systemd.unit(5) reads them (sections of `Key=value`
// lines, repeatable keys, `%i` the instance name) and, where systemd-analyze exists, verified by it.
const units = resolve(import.meta.dirname, '../../../../deploy/systemd');

/** Every value of `key` in `section` of a unit file, with `%i` replaced by `instance`. */
function values(file: string, section: string, key: string, instance = ''): string[] {
  let current = '';
  const found: string[] = [];
  for (const line of readFileSync(join(units, file), 'utf8').split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line.trim());
    if (header) current = header[1] ?? '';
    const pair = /^(\w+)=(.*)$/.exec(line.trim());
    if (pair && current === section && pair[1] === key) found.push((pair[2] ?? '').replaceAll('%i', instance));
  }
  return found;
}
const words = (list: string[]) => list.flatMap((value) => value.split(/\s+/));

test('API and worker units start only after the migrations ran, and not when they failed', () => {
  for (const unit of ['overture-api@.service', 'overture-worker@.service']) {
    assert.ok(words(values(unit, 'Unit', 'After')).includes('overture-migrate.service'), `${unit} is ordered after migrate`);
    assert.ok(words(values(unit, 'Unit', 'Requires')).includes('overture-migrate.service'), `${unit} requires migrate`);
  }
  assert.deepEqual(values('overture-migrate.service', 'Service', 'Type'), ['oneshot']);
});

test('a worker instance name is its health port, valid from the first instance to the tenth and beyond', () => {
  for (const instance of ['9101', '9110', '9199', '19100']) {
    const environment = values('overture-worker@.service', 'Service', 'Environment', instance);
    const port = environment.find((value) => value.startsWith('OVERTURE_HEALTH_PORT='))?.split('=')[1];
    assert.equal(port, instance);
  }
  const api = values('overture-api@.service', 'Service', 'Environment', '8081');
  assert.ok(api.includes('PORT=8081'));
});

test('systemd-analyze verify finds nothing to report in the units', (t) => {
  if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
    t.skip('systemd-analyze is not installed');
    return;
  }
  const directory = mkdtempSync(join(tmpdir(), 'overture-units-'));
  try {
    const instances = { 'overture-migrate.service': 'overture-migrate.service' } as Record<string, string>;
    instances['overture-api@8080.service'] = 'overture-api@.service';
    instances['overture-worker@9110.service'] = 'overture-worker@.service';
    // verify checks that ExecStart's program exists: point it at this Node wherever it is installed.
    for (const [name, template] of Object.entries(instances))
      writeFileSync(
        join(directory, name),
        readFileSync(join(units, template), 'utf8').replaceAll('/usr/bin/node ', `${process.execPath} `),
      );
    const paths = Object.keys(instances).map((name) => join(directory, name));
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', ...paths], { encoding: 'utf8' });
    const complaints = `${result.stdout}${result.stderr}`
      .split('\n')
      // Outside a booted systemd (containers, CI) verify may note that it cannot reach the manager.
      .filter((line) => line.trim() && !/System has not been booted|Failed to connect to bus|not running/i.test(line));
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(complaints, []);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
