import { writeFile } from 'node:fs/promises';
import { CommandError, EXIT } from './exit-codes.js';

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
