import type { OptionDefinition } from './command.js';

// Options that several commands take with the same meaning, so that their help reads the same.

/** `--model M`, which most commands take, with what it means for this one. */
export function modelOption(description: string): OptionDefinition {
  return { name: 'model', value: 'M', description };
}

/** `-o FILE` of a command that names the file after the job unless told. */
export const OUTPUT_OPTION: OptionDefinition = {
  name: 'output',
  value: 'FILE',
  description: 'where to write the audio (default QUEUE_ID.FORMAT; - for stdout)',
};

/** `--voice V` of a command that speaks. */
export const VOICE_OPTION: OptionDefinition = { name: 'voice', value: 'V', description: "one of the model's voices" };

/** `--duration S` of a command that quotes or queues a job. */
export const DURATION_OPTION: OptionDefinition = {
  name: 'duration',
  value: 'S',
  description: 'length in seconds (default: the model default)',
};
