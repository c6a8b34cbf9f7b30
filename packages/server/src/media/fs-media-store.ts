import { FilePumpStream } from './file-pump.js';
import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMediaKey, type MediaStore, type MediaWriter } from '../ports/media-store.js';

/** Media on the local disk: written to a temporary file, fsynced, then renamed into place. */
export class FsMediaStore implements MediaStore {
  private readonly temporary: string;
  private partialReady: Promise<unknown> | undefined;

  constructor(private readonly directory: string) {
    this.temporary = join(directory, '.partial');
  }

  /** The directory of partial files, made once (and again if it was removed under us). */
  private partialDirectory(): Promise<unknown> {
    this.partialReady ??= mkdir(this.temporary, { recursive: true }).catch((error: unknown) => {
      this.partialReady = undefined;
      throw error;
    });
    return this.partialReady;
  }

  private async openPartial(path: string): Promise<FileHandle> {
    await this.partialDirectory();
    try {
      return await open(path, 'w');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.partialReady = undefined;
      await this.partialDirectory();
      return open(path, 'w');
    }
  }

  async create(key: string): Promise<MediaWriter> {
    assertMediaKey(key);
    const partialPath = join(this.temporary, `${key}.${randomUUID()}`);
    // The file opens while the engine starts (the libuv pool may be busy with fsyncs): writes
    // wait for it, and a failed open surfaces at the first write or at commit.
    const opening = this.openPartial(partialPath);
    opening.catch(() => undefined);
    let bytes = 0;
    let closed = false;
    const close = async (file: FileHandle) => {
      if (!closed) {
        closed = true;
        await file.close();
      }
    };
    return {
      write: async (chunk) => {
        await (await opening).write(chunk);
        bytes += chunk.byteLength;
      },
      commit: async () => {
        const file = await opening;
        await file.sync();
        await close(file);
        await rename(partialPath, join(this.directory, key));
        const directory = await open(this.directory, 'r');
        await directory.sync().finally(() => directory.close());
        return { bytes };
      },
      abort: async () => {
        const file = await opening.catch(() => undefined);
        if (!file) return; // nothing was created
        await close(file).catch(() => undefined);
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
      return { stream: new FilePumpStream(file, info.size), bytes: info.size };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async sweepPartials(before: number) {
    let names: string[];
    try {
      names = await readdir(this.temporary);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let swept = 0;
    for (const name of names) {
      const path = join(this.temporary, name);
      const info = await stat(path).catch(() => undefined); // gone meanwhile: committed or aborted
      if (!info?.isFile() || info.mtimeMs >= before) continue;
      await rm(path, { force: true });
      swept++;
    }
    return swept;
  }

  async delete(key: string) {
    assertMediaKey(key);
    await rm(join(this.directory, key), { force: true });
  }
}
