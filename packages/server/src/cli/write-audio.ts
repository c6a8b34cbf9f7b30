import { writeFile } from 'node:fs/promises';
import { CommandError, EXIT, UsageError } from './exit-codes.js';
import type { Output } from './output.js';

/** Refuse `-o -` with `--json`: both would write to stdout. */
export function checkAudioPath(path: string | undefined, output: Output): void {
  if (path === '-' && output.json) throw new UsageError('-o - writes audio to stdout, which --json needs for its output');
}

/** Write audio to a file, or to stdout for `-`. */
export async function writeAudio(path: string, bytes: Uint8Array): Promise<void> {
  if (path === '-') {
    await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())));
    return;
  }
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw new CommandError(`Cannot write ${path}: ${(error as Error).message}`, EXIT.unexpected, 'write_failed');
  }
}

/** Say what was written: the result, or only a note when the audio itself went to stdout. */
export function reportWritten(output: Output, path: string, summary: string, data: unknown): void {
  if (path === '-') output.note(summary);
  else output.result(summary, data);
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/flac': 'flac',
  'audio/opus': 'opus',
  'audio/aac': 'aac',
  'audio/pcm': 'pcm',
};

/** The file extension of an audio format header or content type. */
export function extensionOf(format: string, contentType: string): string {
  if (format !== '') return format;
  return EXTENSIONS[contentType.split(';')[0]?.trim() ?? ''] ?? 'bin';
}
