// docs/engines.md lists the effect families with the words that choose them; this holds that table
// to the engine's own data (`EFFECT_FAMILIES`), so the page cannot drift from the code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EFFECT_FAMILIES } from '../../../src/engines/effects/effect-families.js';

const page = readFileSync(new URL('../../../../../docs/engines.md', import.meta.url), 'utf8');

/** The rows of the families table: name, group, words, sound. */
function documentedFamilies(): string[][] {
  const lines = page.split('\n');
  const header = lines.findIndex((line) => /^\|\s*family\s*\|/.test(line));
  assert.ok(header >= 0, 'docs/engines.md has a families table');
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

test('docs/engines.md lists every effect family, in order, with its group and words', () => {
  const rows = documentedFamilies();
  assert.deepEqual(
    rows.map(([name]) => name),
    EFFECT_FAMILIES.map((family) => family.name),
  );
  for (const family of EFFECT_FAMILIES) {
    const [, group, words, sound] = rows.find(([name]) => name === family.name) ?? [];
    assert.equal(group, family.group, `${family.name}: group`);
    const expected = [...family.triggers, ...(family.scene ?? []).map((word) => `_${word}_`)].join(', ');
    assert.equal(words, expected, `${family.name}: words`);
    assert.ok(sound?.startsWith(family.description), `${family.name}: the sound starts with the family's description`);
  }
});
