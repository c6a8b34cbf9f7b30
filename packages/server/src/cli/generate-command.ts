import { BudgetExceededError, type CancelResponse, type QueueRequest } from '@overture/sdk';
import { clientCommand } from './command.js';
import { CommandError, EXIT, isAbort } from './exit-codes.js';
import { FollowProgress } from './follow-progress.js';
import { findModel } from './model-summary.js';
import { definedFields, number, positiveInteger, text } from './option-values.js';
import { formatBytes, formatUsd } from './table.js';
import { DURATION_OPTION, modelOption, OUTPUT_OPTION, VOICE_OPTION } from './shared-options.js';
import { confirmCharge, readTextArgument } from './terminal-input.js';
import { checkAudioPath, extensionOf, reportWritten, writeAudio } from './write-audio.js';

/** `overture generate "PROMPT" …`: quote, confirm, queue, wait with a progress bar, write, complete. */
export const generateCommand = clientCommand({
  summary: 'Generate music, sound or narration through the queue and write the audio file',
  usage:
    'overture generate "PROMPT" [--model M] [--duration S] [--lyrics FILE|-] [--instrumental]\n    [--voice V] [--format F] [-o FILE] [--max-price USD] [--webhook-url URL] [--yes]',
  argument: 'PROMPT',
  options: [
    modelOption('model id (default: the catalogue default music model)'),
    DURATION_OPTION,
    { name: 'lyrics', value: 'FILE|-', description: 'lyrics from a file, or from stdin with -' },
    { name: 'instrumental', description: 'force an instrumental (force_instrumental)' },
    VOICE_OPTION,
    { name: 'format', value: 'F', description: 'check that the model produces this format (queued jobs use its default format)' },
    OUTPUT_OPTION,
    { name: 'max-price', value: 'USD', description: 'refuse (exit 4) when the quote is above this' },
    { name: 'webhook-url', value: 'URL', description: 'also send signed job events there (Overture models only)' },
    { name: 'keep-running', description: 'on Ctrl-C leave the job running (default: cancel it, releasing its hold)' },
    { name: 'yes', description: 'do not ask for confirmation (required when stdin is not a terminal)' },
  ],
  async run({ argument: prompt, options, output, signal, client: makeClient }) {
    const path = text(options, 'output');
    checkAudioPath(path, output);
    const duration = number(options, 'duration', positiveInteger);
    const maxPrice = number(options, 'max-price', (value) => value >= 0);
    const lyricsPath = text(options, 'lyrics');
    const lyrics = lyricsPath === undefined ? undefined : await readTextArgument(lyricsPath, 'lyrics');
    const client = makeClient();
    const model = await findModel(client, 'music', text(options, 'model'), signal);
    const produced = model.model_spec.default_format ?? 'mp3';
    const format = text(options, 'format');
    if (format !== undefined && format !== produced)
      throw new CommandError(`${model.id} produces ${produced}; queued jobs cannot choose another format`, EXIT.invalid, 'invalid_request');
    const request: QueueRequest = {
      model: model.id,
      prompt,
      ...definedFields({
        duration_seconds: duration,
        lyrics_prompt: lyrics,
        force_instrumental: options.instrumental === true ? true : undefined,
        voice: text(options, 'voice'),
        webhook_url: text(options, 'webhook-url'),
      }),
    };
    const perCharacter = 'per_thousand_characters' in model.model_spec.pricing;
    const characters = perCharacter ? prompt.trim().length : undefined;
    const quoted = await client.audio.quote(
      { model: model.id, ...definedFields({ duration_seconds: duration, character_count: characters }) },
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
      reportWritten(output, file, summary, data);
      return EXIT.ok;
    } catch (error) {
      progress.stop();
      if (queueId !== undefined && isAbort(error)) output.note(afterInterrupt(queueId, cancelled, formatUsd(quote)));
      throw error;
    }
  },
});

/** What became of a job when Ctrl-C stopped `generate`. */
function afterInterrupt(queueId: string, cancelled: CancelResponse | undefined, price: string): string {
  if (cancelled?.success) return `Cancelled job ${queueId} on the server; its ${price} USD hold is released`;
  if (cancelled) return `Job ${queueId} was already ${cancelled.state}: overture fetch ${queueId} -o FILE`;
  return `Job ${queueId} keeps running: overture fetch ${queueId} --wait -o FILE (or overture cancel ${queueId})`;
}
