import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import { loadSoundFont, soundFontPath } from '../../../../src/engines/music/render/soundfont.js';

test('the one SoundFont shipped is FluidR3 Mono GM with every General MIDI program', async () => {
  // The server ships this font alone (not the 56 MB package of three it came from).
  assert.ok(statSync(soundFontPath()).size < 20_000_000, 'small enough to keep in the repository');
  const bank = await loadSoundFont();
  assert.match(bank.soundBankInfo.name, /^FluidR3Mono_GM/);
  const melodic = new Set(bank.presets.filter((preset) => preset.bankMSB === 0).map((preset) => preset.program));
  assert.equal(melodic.size, 128, 'all 128 General MIDI programs');
  assert.ok(
    bank.presets.some((preset) => preset.isGMGSDrum),
    'a drum kit',
  );
  assert.equal(await loadSoundFont(), bank, 'loaded once, then shared');
});
