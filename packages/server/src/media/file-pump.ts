import type { FileHandle } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';

/** Bytes per read. */
const CHUNK_BYTES = 256 * 1024;

/**
 * A stored file as a stream. Read as any `Readable`, each chunk is a new buffer, as from
 * `createReadStream`. `pumpTo` instead copies the file to a writable through two buffers that are
 * reused: a buffer is read into again only once the writable reported it written, so sending a
 * file of any size makes no garbage, and the memory it holds does not depend on when the garbage
 * collector runs. The file is closed when either way ends.
 */
export class FilePumpStream extends Readable {
  private position = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly bytes: number,
  ) {
    super({ highWaterMark: CHUNK_BYTES });
  }

  override _read(size: number): void {
    const length = Math.min(Math.max(size, CHUNK_BYTES), this.bytes - this.position);
    if (length <= 0) {
      this.push(null);
      return;
    }
    this.file.read(Buffer.allocUnsafe(length), 0, length, this.position).then(
      ({ bytesRead, buffer }) => {
        this.position += bytesRead;
        this.push(bytesRead > 0 ? buffer.subarray(0, bytesRead) : null);
      },
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.file.close().then(
      () => callback(error),
      (closing: Error) => callback(error ?? closing),
    );
  }

  /**
   * Copy the rest of the file to `destination` (not ending it) through two reused buffers;
   * resolves when the last write was reported written. Rejects if a read or write fails or
   * `destination` closes first; either way this stream is destroyed (the file closed) at the end.
   */
  async pumpTo(destination: Writable): Promise<void> {
    const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
    const written: (Promise<void> | undefined)[] = [undefined, undefined];
    try {
      for (let turn = 0; this.position < this.bytes; turn ^= 1) {
        // The buffer's previous write must be done before it is read into again.
        await written[turn];
        if (destination.destroyed) throw new Error('the destination closed before the file was sent');
        const buffer = buffers[turn] as Buffer;
        const { bytesRead } = await this.file.read(buffer, 0, Math.min(CHUNK_BYTES, this.bytes - this.position), this.position);
        if (bytesRead === 0) throw new Error('the file is shorter than its size');
        this.position += bytesRead;
        const writing = new Promise<void>((resolve, reject) =>
          destination.write(buffer.subarray(0, bytesRead), (error) => (error ? reject(error) : resolve())),
        );
        writing.catch(() => undefined); // awaited later; a failure must not count as unhandled meanwhile
        written[turn] = writing;
      }
      await Promise.all(written);
      this.destroy();
    } catch (error) {
      // The caller gets the error; an 'error' event nobody listens to would crash the process.
      this.destroy();
      throw error;
    }
  }
}
