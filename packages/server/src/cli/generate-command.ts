import { BudgetExceededError, type CancelResponse, type QueueRequest } from '@overture/sdk';
import { argument, type CommandDefinition, number, text } from './command.js';
import { CommandError, EXIT, isAbort, UsageError } from './exit-codes.js';
import { findModel } from './model-summary.js';
import { FollowProgress } from './follow-progress.js';
import { formatBytes, formatUsd } from './table.js';
import { confirmCharge, readTextArgument } from './terminal-input.js';
import { extensionOf, writeAudio } from './write-audio.js';

/** `overture generate "PROMPT" …`: quote, confirm, queue, wait with a progress bar, write, complete. */
export const generateCommand: CommandDefinition = {
  name: 'generate',
  summary: 'Generate music, sound or narration through the queue and write the audio file',
  usage:
    'overture generate "PROMPT" [--model M] [--duration S] [--lyrics FILE|-] [--instrumental]\n    [--voice V] [--format F] [-o FILE] [--max-price USD] [--webhook-url URL] [--yes]',
  client: true,
  options: [
    { name: 'model', value: 'M', description: 'model id (default: the catalogue default music model)' },
    { name: 'duration', value: 'S', description: 'length in seconds (default: the model default)' },
    { name: 'lyrics', value: 'FILE|-', description: 'lyrics from a file, or from stdin with -' },
    { name: 'instrumental', description: 'force an instrumental (force_instrumental)' },
    { name: 'voice', value: 'V', description: "one of the model's voices" },
    { name: 'format', value: 'F', description: 'check that the model produces this format (queued jobs use its default format)' },
    { name: 'output', value: 'FILE', description: 'where to write the audio (default QUEUE_ID.FORMAT; - for stdout)' },
    { name: 'max-price', value: 'USD', description: 'refuse (exit 4) when the quote is above this' },
    { name: 'webhook-url', value: 'URL', description: 'also send signed job events there (Overture models only)' },
    { name: 'keep-running', description: 'on Ctrl-C leave the job running (default: cancel it, releasing its hold)' },
    { name: 'yes', description: 'do not ask for confirmation (required when stdin is not a terminal)' },
  ],
  async run({ positional, options, output, signal, client: makeClient }) {
    const prompt = argument(positional, 'PROMPT');
    const path = text(options, 'output');
    if (path === '-' && output.json) throw new UsageError('-o - writes audio to stdout, which --json needs for its output');
    const duration = number(options, 'duration', (value) => Number.isInteger(value) && value > 0);
    const maxPrice = number(options, 'max-price', (value) => value >= 0);
    const lyricsPath = text(options, 'lyrics');
    const lyrics = lyricsPath === undefined ? undefined : await readTextArgument(lyricsPath, 'lyrics');
    const client = makeClient();
    const model = await findModel(client, 'music', text(options, 'model'), signal);
    const produced = model.model_spec.default_format ?? 'mp3';
    const format = text(options, 'format');
    if (format !== undefined && format !== produced)
      throw new CommandError(`${model.id} produces ${produced}; queued jobs cannot choose another format`, EXIT.invalid, 'invalid_request');
    const voice = text(options, 'voice');
    const webhookUrl = text(options, 'webhook-url');
    const request: QueueRequest = {
      model: model.id,
      prompt,
      ...(duration === undefined ? {} : { duration_seconds: duration }),
      ...(lyrics === undefined ? {} : { lyrics_prompt: lyrics }),
      ...(options.instrumental === true ? { force_instrumental: true } : {}),
      ...(voice === undefined ? {} : { voice }),
      ...(webhookUrl === undefined ? {} : { webhook_url: webhookUrl }),
    };
    const perCharacter = 'per_thousand_characters' in model.model_spec.pricing;
    const quoted = await client.audio.quote(
      {
        model: model.id,
        ...(duration === undefined ? {} : { duration_seconds: duration }),
        ...(perCharacter ? { character_count: prompt.trim().length } : {}),
      },
      { signal },
    );
    const quote = quoted.quote;
    if (maxPrice !== undefined && quote > maxPrice) throw new BudgetExceededError(quote, maxPrice);
    const seconds = duration ?? model.model_spec.default_duration;
    output.note(`${model.id}${seconds === undefined ? '' : `, ${seconds} s`}, ${produced}: quote ${formatUsd(quote)} USD`);
    await confirmCharge(`${formatUsd(quote)} USD`, options.yes === true, lyricsPath === '-', signal);
    const progress = new FollowProgress(output, 'Generating');
    const keepRunning = options['keep-running'] === true;
    let queueId: string | undefined;
    let cancelled: CancelResponse | undefined;
    try {
      const result = await client.generate(request, {
        signal,
        maxPriceUsd: quote,
        cancelOnAbort: !keepRunning,
        onCancelled: (answer) => (cancelled = answer),
        onQueued: (queued) => {
          queueId = queued.queue_id;
          output.note(`Queued ${queued.queue_id}`);
        },
        onProgress: (update) => progress.update(update),
      });
      progress.stop();
      const file = path ?? `${result.queueId}.${extensionOf(result.format, result.contentType)}`;
      await writeAudio(file, result.bytes);
      const summary = `Wrote ${file} (${formatBytes(result.bytes.length)}, ${result.durationSeconds} s ${result.format}) for ${formatUsd(quote)} USD; job ${result.queueId} completed`;
      const data = {
        queue_id: result.queueId,
        model: result.model,
        quote: result.quote,
        file,
        bytes: result.bytes.length,
        content_type: result.contentType,
        format: result.format,
        duration_seconds: result.durationSeconds,
        inference_seconds: result.inferenceSeconds,
      };
      if (file === '-') output.note(summary);
      else output.result(summary, data);
      return EXIT.ok;
    } catch (error) {
      progress.stop();
      if (queueId !== undefined && isAbort(error)) output.note(afterInterrupt(queueId, cancelled, formatUsd(quote)));
      throw error;
    }
  },
};

/** What became of a job when Ctrl-C stopped `generate`. */
function afterInterrupt(queueId: string, cancelled: CancelResponse | undefined, price: string): string {
  if (cancelled?.success) return `Cancelled job ${queueId} on the server; its ${price} USD hold is released`;
  if (cancelled) return `Job ${queueId} was already ${cancelled.state}: overture fetch ${queueId} -o FILE`;
  return `Job ${queueId} keeps running: overture fetch ${queueId} --wait -o FILE (or overture cancel ${queueId})`;
}
