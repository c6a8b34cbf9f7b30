import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseS3Url, S3MediaStore } from '../../src/media/s3-media-store.js';
import { S3_TEST_CREDENTIALS, startS3Server } from '../support/s3-server.js';
import { runMediaConformance } from './media-conformance.js';

let server: Awaited<ReturnType<typeof startS3Server>>;
const stores: S3MediaStore[] = [];
before(async () => {
  server = await startS3Server();
  await server.createBucket('media');
});
after(async () => {
  for (const store of stores) store.close();
  await server.close();
});

let count = 0;
/** Each store gets its own prefix in one bucket; parts of 5 MiB so a 13 MiB object takes three. */
function openStore(prefix = `run-${count++}`) {
  const options = parseS3Url(`s3://media/${prefix}?endpoint=${server.endpoint}&region=us-east-1&forcePathStyle=true`);
  const store = new S3MediaStore({
    ...options,
    client: { ...options.client, credentials: S3_TEST_CREDENTIALS },
    partSize: 5 * 1024 * 1024,
  });
  stores.push(store);
  return store;
}

runMediaConformance('s3 (s3rver)', async () => openStore());

test('s3: the URL names bucket, prefix, endpoint, region and path style', () => {
  assert.deepEqual(parseS3Url('s3://bucket/a/b?endpoint=http://127.0.0.1:4569&region=eu-west-3&forcePathStyle=true'), {
    bucket: 'bucket',
    prefix: 'a/b/',
    client: { region: 'eu-west-3', endpoint: 'http://127.0.0.1:4569', forcePathStyle: true },
  });
  assert.equal(parseS3Url('s3://bucket').prefix, '');
  assert.throws(() => parseS3Url('http://bucket'), /s3:\/\//);
});

test('s3: an aborted multipart upload leaves no object (s3rver cannot list open uploads)', async () => {
  const store = openStore('aborts');
  const writer = await store.create('big.wav');
  for (let i = 0; i < 3; i++) await writer.write(Buffer.alloc(4 * 1024 * 1024, i));
  await writer.abort();
  const client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3_TEST_CREDENTIALS });
  const objects = await client.send(new ListObjectsV2Command({ Bucket: 'media', Prefix: 'aborts/' }));
  assert.equal(objects.KeyCount ?? 0, 0);
  client.destroy();
});
