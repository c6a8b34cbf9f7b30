import { loadConfig } from '../../packages/server/dist/app/config.js';
import { mediaKeyOf } from '../../packages/server/dist/jobs/run-job.js';
import { FsMediaStore } from '../../packages/server/dist/media/fs-media-store.js';
import { SqliteStore } from '../../packages/server/dist/store/sqlite/sqlite-store.js';

/**
 * Turn the queued job `jobId` in the data directory into a finished one whose media is `bytes`
 * long (written in 1 MiB chunks), through the store's own claim and fenced settle. The server
 * must be stopped while this runs.
 */
export async function finishWithBigMedia(dataDirectory: string, engine: string, jobId: string, bytes: number): Promise<void> {
  const config = loadConfig({ OVERTURE_DATA_DIR: dataDirectory });
  const store = new SqliteStore({ path: config.databasePath, synchronous: 'NORMAL' });
  try {
    const now = Date.now();
    const [job] = await store.leases.claimJobs(engine, 1, 3_600_000, now);
    if (!job || job.id !== jobId) throw new Error('the prepared job could not be claimed');
    const key = mediaKeyOf(job.id, job.attempt, job.request.format);
    const writer = await new FsMediaStore(config.mediaDirectory).create(key);
    const chunk = new Uint8Array(1 << 20).map((_, index) => index & 0xff);
    for (let written = 0; written < bytes; written += chunk.length)
      await writer.write(chunk.subarray(0, Math.min(chunk.length, bytes - written)));
    const committed = await writer.commit();
    const settled = await store.leases.completeJob(
      job.id,
      job.leaseToken as string,
      {
        mediaKey: key,
        mediaBytes: committed.bytes,
        durationSeconds: 60,
        inferenceMs: 1,
        expiresAt: now + 3_600_000,
      },
      now,
    );
    if (!settled) throw new Error('the prepared job could not be settled');
  } finally {
    await store.close();
  }
}
