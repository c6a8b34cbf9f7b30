import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMediaKey, type MediaStore, type MediaWriter } from '../ports/media-store.js';

/** Media on the local disk: written to a temporary file, fsynced, then renamed into place. */
export class FsMediaStore implements MediaStore {
  private readonly temporary: string;

  constructor(private readonly directory: string) {
    this.temporary = join(directory, '.partial');
  }

  async create(key: string): Promise<MediaWriter> {
    assertMediaKey(key);
    await mkdir(this.temporary, { recursive: true });
    const partialPath = join(this.temporary, `${key}.${randomUUID()}`);
    const file = await open(partialPath, 'w');
    let bytes = 0;
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await file.close();
      }
    };
    return {
      write: async (chunk) => {
        await file.write(chunk);
        bytes += chunk.byteLength;
      },
      commit: async () => {
        await file.sync();
        await close();
        await rename(partialPath, join(this.directory, key));
        const directory = await open(this.directory, 'r');
        await directory.sync().finally(() => directory.close());
        return { bytes };
      },
      abort: async () => {
        await close().catch(() => undefined);
        await rm(partialPath, { force: true });
      },
    };
  }

  async open(key: string) {
    assertMediaKey(key);
    // Open first, then size and stream that open file: a delete racing this read (complete,
    // expiry) then either wins before the open (undefined, a 404) or cannot tear the stream.
    let file: FileHandle;
    try {
      file = await open(join(this.directory, key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const info = await file.stat();
      return { stream: file.createReadStream({ highWaterMark: 256 * 1024 }), bytes: info.size };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async delete(key: string) {
    assertMediaKey(key);
    await rm(join(this.directory, key), { force: true });
  }
}
