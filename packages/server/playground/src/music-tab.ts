import { callJson, ServerError } from './api-client.js';
import { byId, element, formatUsd } from './dom.js';
import { FormFields, read, select } from './form-fields.js';
import { runJob } from './job-view.js';
import { describePrice, hasDuration, type Model, type ModelSpec } from './models.js';

/** The Generate tab: a model picker, the form its `model_spec` allows, a live quote, and the job. */
export function setUpMusicTab(models: readonly Model[], onJobEnd: () => void): void {
  const picker = byId<HTMLSelectElement>('music-model');
  const info = byId('music-model-info');
  const holder = byId('music-fields');
  const quote = byId('music-quote');
  const formError = byId('music-error');
  const form = byId<HTMLFormElement>('music-form');
  const button = byId<HTMLButtonElement>('generate');
  const music = models.filter((model) => model.type === 'music');
  for (const model of music) picker.append(element('option', { value: model.id }, `${model.model_spec.name} (${model.id})`));
  let fields = new FormFields();
  let quoteTimer: ReturnType<typeof setTimeout> | undefined;
  let quoteSeq = 0;
  const current = () => music.find((model) => model.id === picker.value) as Model;

  const requestQuote = async () => {
    const model = current();
    const values = fields.values();
    const body: Record<string, unknown> = { model: model.id };
    if (values.duration_seconds !== undefined) body.duration_seconds = values.duration_seconds;
    if ('per_thousand_characters' in model.model_spec.pricing) {
      const characters = String(values.prompt ?? '').trim().length;
      if (characters === 0) {
        quote.textContent = 'Quote: type the text to see its price';
        return;
      }
      body.character_count = characters;
    }
    const seq = ++quoteSeq;
    try {
      const answer = await callJson<{ quote: number }>('/audio/quote', { body, keyed: false });
      if (seq !== quoteSeq) return;
      fields.clearErrors();
      quote.textContent = `Quote: ${formatUsd(answer.quote)}`;
    } catch (error) {
      if (seq !== quoteSeq) return;
      quote.textContent = 'Quote: —';
      showError(error, fields, formError, false);
    }
  };
  const scheduleQuote = () => {
    clearTimeout(quoteTimer);
    quoteTimer = setTimeout(() => void requestQuote(), 250);
  };
  const rebuild = () => {
    const model = current();
    fields = buildFields(model.model_spec);
    holder.replaceChildren(fields.root);
    info.textContent = `${model.model_spec.description ?? ''} Price: ${describePrice(model.model_spec)}. Output: ${model.model_spec.default_format ?? 'mp3'}.`;
    formError.textContent = '';
    void requestQuote();
  };
  picker.addEventListener('change', rebuild);
  form.addEventListener('input', (event) => {
    if (event.target !== picker) scheduleQuote();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clearErrors();
    formError.textContent = '';
    const model = current();
    button.disabled = true;
    try {
      const queued = await callJson<{ queue_id: string }>('/audio/queue', { body: { model: model.id, ...fields.values() } });
      void runJob(model, queued.queue_id, onJobEnd);
    } catch (error) {
      showError(error, fields, formError, true);
    } finally {
      button.disabled = false;
    }
  });
  if (music.length > 0) rebuild();
}

/** Put a server error next to its field, or in the form's error line. */
function showError(error: unknown, fields: FormFields, line: HTMLElement, focus: boolean): void {
  if (error instanceof ServerError && error.issues.length > 0) {
    const rest = fields.showIssues(error.issues, focus);
    line.textContent = rest.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
    return;
  }
  line.textContent = error instanceof Error ? error.message : String(error);
}

/** Only the fields this model supports, with its limits. */
function buildFields(spec: ModelSpec): FormFields {
  const fields = new FormFields();
  const promptLimit = spec.prompt_character_limit ?? 4096;
  const prompt = element('textarea', { rows: 3, required: true, minlength: spec.min_prompt_length ?? 1, maxlength: promptLimit });
  fields.add('prompt', 'Prompt', prompt, read.rawText, `${spec.min_prompt_length ?? 1}–${promptLimit} characters`);
  if (spec.supports_lyrics) {
    const limit = spec.lyrics_character_limit ?? 4096;
    const lyrics = element('textarea', { rows: 4, required: spec.lyrics_required === true, maxlength: limit });
    fields.add('lyrics_prompt', spec.lyrics_required ? 'Lyrics (required)' : 'Lyrics', lyrics, read.text, `up to ${limit} characters`);
  }
  if (hasDuration(spec)) {
    const options = spec.duration_options ?? [];
    if (options.length > 0) {
      fields.add(
        'duration_seconds',
        'Duration (seconds)',
        select(options, spec.default_duration),
        read.number,
        `one of ${options.join(', ')}`,
      );
    } else {
      const min = spec.min_duration ?? 1;
      const max = spec.max_duration ?? 600;
      const input = element('input', { type: 'number', min, max, step: 1, value: spec.default_duration ?? min, inputmode: 'numeric' });
      fields.add('duration_seconds', 'Duration (seconds)', input, read.number, `${min}–${max} s`);
    }
  }
  if (spec.voices && spec.voices.length > 0)
    fields.add('voice', 'Voice', select(spec.voices, spec.default_voice), read.option, `${spec.voices.length} voices`);
  if (spec.supports_speed) {
    const min = spec.min_speed ?? 0.25;
    const max = spec.max_speed ?? 4;
    const input = element('input', { type: 'number', min, max, step: 0.05, value: spec.default_speed ?? 1 });
    fields.add('speed', 'Speed', input, read.number, `${min}–${max}`);
  }
  if (spec.supports_language_code)
    fields.add('language_code', 'Language (ISO 639-1)', element('input', { type: 'text', maxlength: 2, size: 3 }), read.text, 'e.g. en');
  if (spec.supports_force_instrumental)
    fields.add('force_instrumental', 'Instrumental only', element('input', { type: 'checkbox' }), read.checked);
  if (spec.supports_lyrics_optimizer)
    fields.add('lyrics_optimizer', 'Write lyrics for me', element('input', { type: 'checkbox' }), read.checked);
  if (spec.supports_loop) fields.add('loop', 'Seamless loop', element('input', { type: 'checkbox' }), read.checked);
  return fields;
}
