import { call, ServerError } from './api-client.js';
import { announce } from './announcer.js';
import { byId, element } from './dom.js';
import { FormFields, read, select } from './form-fields.js';
import type { Model } from './models.js';
import { drawWaveform } from './waveform.js';

const TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', flac: 'audio/flac', opus: 'audio/ogg', aac: 'audio/aac' };

/** The Speech tab: text, voice, speed and format, played while it streams (`streaming: true`). */
export function setUpSpeechTab(models: readonly Model[], onEnd: () => void): void {
  const picker = byId<HTMLSelectElement>('speech-model');
  const holder = byId('speech-fields');
  const form = byId<HTMLFormElement>('speech-form');
  const line = byId('speech-status');
  const output = byId('speech-output');
  const speech = models.filter((model) => model.type === 'tts');
  for (const model of speech) picker.append(element('option', { value: model.id }, `${model.model_spec.name} (${model.id})`));
  let fields = new FormFields();
  const rebuild = () => {
    const spec = (speech.find((model) => model.id === picker.value) as Model).model_spec;
    fields = new FormFields();
    fields.add('input', 'Text', element('textarea', { rows: 3, required: true, maxlength: 4096 }), read.rawText, '1–4096 characters');
    if (spec.voices && spec.voices.length > 0) fields.add('voice', 'Voice', select(spec.voices, spec.default_voice), read.option);
    const speed = element('input', {
      type: 'number',
      min: spec.min_speed ?? 0.25,
      max: spec.max_speed ?? 4,
      step: 0.05,
      value: spec.default_speed ?? 1,
    });
    fields.add('speed', 'Speed', speed, read.number, `${spec.min_speed ?? 0.25}–${spec.max_speed ?? 4}`);
    const formats = (spec.supported_formats ?? ['mp3']).filter((format) => format !== 'pcm');
    fields.add('response_format', 'Format', select(formats, spec.default_format ?? 'mp3'), read.option, 'mp3 plays while it streams');
    holder.replaceChildren(fields.root);
  };
  picker.addEventListener('change', rebuild);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clearErrors();
    line.textContent = 'Speaking…';
    const body: Record<string, unknown> = { model: picker.value, ...fields.values(), streaming: true };
    try {
      const response = await call('/audio/speech', { body });
      const format = String(body.response_format ?? 'mp3');
      const type = response.headers.get('content-type') ?? TYPES[format] ?? 'audio/mpeg';
      const audio = element('audio', { controls: true, 'aria-label': 'Speech player' });
      const canvas = element('canvas', { width: 600, height: 60, class: 'waveform' });
      output.replaceChildren(audio, canvas);
      const bytes = await play(audio, response, type);
      const url = URL.createObjectURL(new Blob([bytes], { type }));
      if (!audio.src) audio.src = url;
      output.append(element('a', { href: url, download: `speech.${format}`, class: 'button' }, `Download speech.${format}`));
      line.textContent = `Done: ${bytes.byteLength} bytes of ${format}.`;
      announce('The speech is ready.');
      void drawWaveform(canvas, bytes, 'Waveform of the speech').catch(() => canvas.remove());
    } catch (error) {
      const rest = error instanceof ServerError ? fields.showIssues(error.issues) : [];
      line.textContent =
        error instanceof ServerError && error.issues.length > 0 && rest.length === 0
          ? 'Please fix the fields marked.'
          : (error as Error).message;
    }
    onEnd();
  });
  if (speech.length > 0) rebuild();
}

/**
 * Play the body as it arrives where Media Source Extensions take its type (MP3 in Chromium): each
 * chunk is appended to a SourceBuffer as it comes. Other formats are gathered and then played.
 * Resolves with every byte, for the download link and the waveform.
 */
async function play(audio: HTMLAudioElement, response: Response, type: string): Promise<ArrayBuffer> {
  const reader = (response.body as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const streamable = typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(type);
  let buffer: SourceBuffer | undefined;
  let source: MediaSource | undefined;
  if (streamable) {
    source = new MediaSource();
    audio.src = URL.createObjectURL(source);
    const opened = source;
    await new Promise((resolve) => opened.addEventListener('sourceopen', resolve, { once: true }));
    buffer = opened.addSourceBuffer(type);
    audio.dataset.streaming = 'true';
  }
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    if (buffer) {
      const target = buffer;
      await new Promise((resolve) => {
        target.addEventListener('updateend', resolve, { once: true });
        target.appendBuffer(value);
      });
      if (audio.paused && chunks.length === 1) void audio.play().catch(() => undefined);
    }
  }
  if (source && source.readyState === 'open') source.endOfStream();
  const all = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  if (!streamable) {
    audio.src = URL.createObjectURL(new Blob([all], { type }));
    void audio.play().catch(() => undefined);
  }
  return all.buffer;
}
