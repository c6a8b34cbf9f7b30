// Writes docs/engines.md from the engines' own data and READMEs, so the tables of recognised
// words never drift from the code. Usage: node --import tsx scripts/build-engines-doc.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { EFFECT_FAMILIES } from '../packages/server/src/engines/effects/effect-families.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8').replace(/^# .*\n/, '');
const demote = (markdown: string) => markdown.replace(/^(#+) /gm, '$1# ');
const families = EFFECT_FAMILIES.map((family) => `| ${family.name} | ${family.triggers.join(', ')} | ${family.description} |`).join('\n');

const page = `# Engines

Every model in the catalog is bound to an engine behind the engine port
(\`packages/server/src/ports/engine.ts\`): it takes a validated request and a byte sink, writes the
encoded audio, reports progress and honours an abort signal. All run offline on the CPU, with no
model weights and no downloads. The same request gives the same bytes.

| engine | serves | formats |
|---|---|---|
| \`music\` | songs and instrumentals (SoundFont synthesis, sung lyrics) | mp3, wav, flac, opus, pcm |
| \`effects\` | procedural sound effects, loopable | mp3, wav, flac |
| \`speech\` | text to speech, narration, the singing voice | mp3, wav, flac, opus, pcm |
| \`tone\` | a fast chord sketch of the prompt's key and tempo (development, CI) | mp3, wav, flac, opus, pcm |

Content types: mp3 \`audio/mpeg\` (CBR), wav \`audio/wav\` (16-bit PCM), flac \`audio/flac\`,
opus \`audio/opus\` (Ogg, 48 kHz), pcm \`audio/pcm\` (raw signed 16-bit little-endian mono at
24,000 Hz). AAC is not offered: no AAC encoder is available offline.

## Music
${demote(read('packages/server/src/engines/music/README.md'))}

## Sound effects

The prompt's words choose one or more families (layered: "heavy rain with distant thunder");
modifiers shape the family named next to them, or every layer: *distant* (low-pass, reverb,
quieter), *close*, *heavy*/*light*, *short*, *metallic*, *fast*/*slow*. A prompt with no known
word gets an ambient texture derived from its words. Output is 44.1 kHz stereo, exactly the asked
length, mastered to −14 LUFS (−16 when distant or light); with \`loop\`, the tail is crossfaded into
the head so the file loops without a click.

| family | words | sound |
|---|---|---|
${families}

## Speech
${demote(read('packages/server/src/engines/speech/README.md'))}
`;
writeFileSync(new URL('../docs/engines.md', import.meta.url), page);
console.log('wrote docs/engines.md');
