import type { MediaStore, MediaWriter } from '../../../src/ports/media-store.js';

/** Which media operation a fault applies to. */
export type MediaFault = 'write' | 'commit';

/**
 * A MediaStore wrapper standing for a failing disk: `decide` says, per operation, whether it
 * throws (EIO) instead of reaching the real store. Every key asked for is recorded, so tests can
 * prove that nothing a client sent reached the file system.
 */
export class FaultyMedia implements MediaStore {
  readonly keys: string[] = [];
  failures = 0;

  constructor(
    private readonly inner: MediaStore,
    private readonly decide: (fault: MediaFault, key: string) => boolean = () => false,
  ) {}

  private fail(fault: MediaFault, key: string): void {
    if (!this.decide(fault, key)) return;
    this.failures++;
    throw Object.assign(new Error(`EIO: simulated ${fault} failure on ${key}`), { code: 'EIO' });
  }

  async create(key: string): Promise<MediaWriter> {
    this.keys.push(key);
    const writer = await this.inner.create(key);
    return {
      write: async (chunk) => {
        this.fail('write', key);
        await writer.write(chunk);
      },
      commit: async () => {
        this.fail('commit', key);
        return writer.commit();
      },
      abort: () => writer.abort(),
    };
  }

  async open(key: string) {
    this.keys.push(key);
    return this.inner.open(key);
  }

  async delete(key: string) {
    this.keys.push(key);
    return this.inner.delete(key);
  }
}
