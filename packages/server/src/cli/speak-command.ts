import type { SpeechRequest } from '@overture/sdk';
import { clientCommand } from './command.js';
import { EXIT, UsageError } from './exit-codes.js';
import { findModel } from './model-summary.js';
import { definedFields, number, required, text } from './option-values.js';
import { modelOption, VOICE_OPTION } from './shared-options.js';
import { formatBytes } from './table.js';
import { readStdin } from './terminal-input.js';
import { checkAudioPath, reportWritten, writeAudio } from './write-audio.js';

type SpeechFormat = NonNullable<SpeechRequest['response_format']>;
const FORMATS: readonly SpeechFormat[] = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'];

/** The format asked for with `--format`, else the one the output file's extension names. */
function formatFor(option: string | undefined, path: string): SpeechFormat | undefined {
  if (option !== undefined) {
    if (!FORMATS.includes(option as SpeechFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    return option as SpeechFormat;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return FORMATS.find((format) => format === extension);
}

/** `overture speak "TEXT" -o FILE`: synchronous text to speech. */
export const speakCommand = clientCommand({
  summary: 'Speak text with a synchronous speech model and write the audio file',
  usage: 'overture speak "TEXT"|- -o FILE [--model M] [--voice V] [--format F] [--speed X]',
  argument: 'TEXT',
  options: [
    { name: 'output', value: 'FILE', description: 'where to write the audio (- for stdout)' },
    modelOption('speech model (default: the catalogue default tts model)'),
    VOICE_OPTION,
    {
      name: 'format',
      value: 'F',
      description: 'mp3, opus, aac, flac, wav or pcm (default: from the file extension, else the model default)',
    },
    { name: 'speed', value: 'X', description: 'speaking rate, 0.25 to 4' },
  ],
  async run({ argument, options, output, signal, client: makeClient }) {
    const path = required(options, 'output', 'FILE');
    checkAudioPath(path, output);
    const format = formatFor(text(options, 'format'), path);
    const speed = number(options, 'speed', (value) => value > 0);
    const input = argument === '-' ? (await readStdin()).trim() : argument;
    const client = makeClient();
    const model = await findModel(client, 'tts', text(options, 'model'), signal);
    const speech = await client.audio.speech(
      { model: model.id, input, ...definedFields({ voice: text(options, 'voice'), response_format: format, speed }) },
      { signal },
    );
    await writeAudio(path, speech.bytes);
    const summary = `Wrote ${path} (${formatBytes(speech.bytes.length)}, ${speech.contentType}) with ${model.id}`;
    const data = { file: path, bytes: speech.bytes.length, content_type: speech.contentType, model: model.id, characters: input.length };
    reportWritten(output, path, summary, data);
    return EXIT.ok;
  },
});
