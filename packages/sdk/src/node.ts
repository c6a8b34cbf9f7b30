import type { QueueRequest } from './audio-types.js';
import type { OvertureClient } from './client.js';
import type { GenerateOptions, GenerateResult } from './generate.js';

interface FileSystem {
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

/**
 * Node only: `generate()` and write the audio to `path`. The module is loaded lazily so that
 * the main entry stays free of Node APIs.
 */
export async function generateToFile(
  client: OvertureClient,
  request: QueueRequest,
  path: string,
  options?: GenerateOptions,
): Promise<GenerateResult & { readonly path: string }> {
  const result = await client.generate(request, options);
  const specifier = 'node:fs/promises';
  const fs = (await import(specifier)) as FileSystem;
  await fs.writeFile(path, result.bytes);
  return { ...result, path };
}

export * from './index.js';
