#!/usr/bin/env node
// Generate a track with the Overture SDK and save it next to this script.
//
//   npm run build                      # builds packages/sdk/dist among others
//   OVERTURE_API_KEY=... node examples/node-generate.mjs "warm lo-fi beat at 80 bpm" 20
//
// OVERTURE_BASE_URL defaults to http://localhost:8080/api/v1.
import { writeFile } from 'node:fs/promises';
import { BudgetExceededError, ContentPolicyError, OvertureClient, OvertureError } from '@overture/sdk';

const prompt = process.argv[2] ?? 'calm piano in A minor at 90 bpm';
const seconds = Number(process.argv[3] ?? 10);
const model = process.env.OVERTURE_MODEL ?? 'overture-sketch';

const client = new OvertureClient();
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

try {
  const result = await client.generate(
    { model, prompt, duration_seconds: seconds },
    {
      maxPriceUsd: 0.5,
      signal: controller.signal,
      onQueued: ({ queue_id, quote }) => console.log(`queued ${queue_id} for ${quote} USD`),
      onProgress: ({ fraction }) => process.stdout.write(`\r${Math.round(fraction * 100)}%   `),
    },
  );
  const path = new URL(`./${model}-${Date.now()}.${result.format || 'bin'}`, import.meta.url);
  await writeFile(path, result.bytes);
  console.log(`\nsaved ${result.durationSeconds} s of ${result.contentType} to ${path.pathname}`);
} catch (error) {
  if (error?.name === 'AbortError') console.error('\ncancelled');
  else if (error instanceof BudgetExceededError) console.error(`too expensive: ${error.quote} USD`);
  else if (error instanceof ContentPolicyError) console.error(`${error.message}\nTry: ${error.suggestedPrompt ?? '(no suggestion)'}`);
  else if (error instanceof OvertureError) console.error(`${error.name} ${error.status ?? ''}: ${error.message}`, error.issues);
  else throw error;
  process.exitCode = 1;
}
