import type { EspeakModule, EspeakWorker } from '@echogarden/espeak-ng-emscripten';

let espeakPackage: Promise<typeof import('@echogarden/espeak-ng-emscripten')> | undefined;

/**
 * Import the eSpeak NG package (once). It is not imported with this module: loading it reads its
 * 24 MB data file and costs ~100 MB of resident memory, which processes that never speak or sing
 * (instrumental music, tools) should not pay. The speech engine starts it when it is created.
 */
export function preloadEspeak(): Promise<typeof import('@echogarden/espeak-ng-emscripten')> {
  espeakPackage ??= import('@echogarden/espeak-ng-emscripten');
  espeakPackage.catch(() => {
    espeakPackage = undefined;
  });
  return espeakPackage;
}

/** Folder of eSpeak NG voice variants inside the module's virtual file system. */
const VARIANT_FOLDER = '/usr/share/espeak-ng-data/voices/!v';

/** Everything that selects how one piece of text sounds. */
export interface EspeakSettings {
  /** eSpeak language voice, e.g. `en-us`, `de`, `cmn`. */
  readonly language: string;
  /** Name of a variant file registered with `defineVariant`, or undefined for the plain voice. */
  readonly variant?: string;
  /** Words per minute, clamped to 80..450. */
  readonly rate: number;
  /** Intonation range 0..99 (0 = monotone). */
  readonly range: number;
}

/**
 * One long-lived eSpeak NG instance. Calls are synchronous; the whole WASM memory is restored
 * from a snapshot before each call, so output never depends on earlier calls (eSpeak keeps
 * vibrato phase and noise state in globals) and the same input always gives the same samples.
 */
export class EspeakInstance {
  private chunks: Int16Array[] = [];
  private readonly callbackPointer: number;
  private readonly snapshot: Uint8Array;
  /** Content of each variant file written, so a voice's identity includes its variant's text. */
  private readonly variants = new Map<string, string>();
  /** Memory right after the last voice was set, kept once the same voice is used twice running. */
  private voiceState: { readonly key: string; readonly memory: Uint8Array } | undefined;
  private lastVoiceKey = '';

  private constructor(
    private readonly module: EspeakModule,
    private readonly worker: EspeakWorker,
  ) {
    this.callbackPointer = module.addFunction((audioPointer, sampleCount) => {
      if (sampleCount > 0) {
        const start = audioPointer >> 1;
        this.chunks.push(this.module.HEAP16.slice(start, start + sampleCount));
      }
      return 0;
    }, 'iiii');
    // eSpeak finishes initialising some speed state during its first synthesis: snapshot after one.
    worker.set_voice('en-us');
    worker.synth_('Ready.', this.callbackPointer);
    this.chunks = [];
    this.snapshot = module.HEAPU8.slice();
  }

  /** Load the module (~150 ms) and take the memory snapshot. */
  static async create(): Promise<EspeakInstance> {
    const { default: loadEspeak } = await preloadEspeak();
    const module = await loadEspeak();
    // eSpeak seeds its noise generator from the clock while initialising; pin the clock for that
    // one synchronous call so every process starts from the same state.
    const clock = Date.now;
    Date.now = () => 0;
    let worker: EspeakWorker;
    try {
      worker = new module.eSpeakNGWorker();
    } finally {
      Date.now = clock;
    }
    return new EspeakInstance(module, worker);
  }

  /** Output sample rate of eSpeak NG (22050 Hz). */
  get sampleRate(): number {
    return this.worker.get_samplerate();
  }

  /** Write (or overwrite) a voice variant file; `content` uses eSpeak's voice file syntax. */
  defineVariant(name: string, content: string): void {
    this.module.FS.writeFile(`${VARIANT_FOLDER}/${name}`, content);
    this.variants.set(name, content);
  }

  /** Put memory back as it was (after initialisation by default); memory grown since then is zeroed, as fresh memory is. */
  private restoreSnapshot(snapshot = this.snapshot): void {
    const memory = this.module.HEAPU8;
    memory.set(snapshot);
    if (memory.length > snapshot.length) memory.fill(0, snapshot.length);
  }

  /**
   * Restore the initial state and select the voice. Loading a voice costs more than the rest of a
   * short call, so when the same voice (and variant text) is used twice in a row the memory after
   * selecting it is kept and later calls restore that instead: the same state, reached faster.
   */
  private selectVoice(settings: EspeakSettings): void {
    const voiceName = settings.variant ? `${settings.language}+${settings.variant}` : settings.language;
    const key = `${voiceName}\n${settings.variant ? (this.variants.get(settings.variant) ?? '') : ''}`;
    if (this.voiceState?.key === key) {
      this.restoreSnapshot(this.voiceState.memory);
      return;
    }
    this.restoreSnapshot();
    if (this.worker.set_voice(voiceName) !== 0 && this.worker.set_voice(settings.language) !== 0) {
      throw new Error(`eSpeak NG has no voice ${voiceName}`);
    }
    if (key === this.lastVoiceKey) this.voiceState = { key, memory: this.module.HEAPU8.slice() };
    this.lastVoiceKey = key;
  }

  /** Synthesize SSML-safe text (callers escape `<`, `>` and `&`) to mono samples in -1..1. */
  synthesize(text: string, settings: EspeakSettings): Float32Array {
    this.selectVoice(settings);
    this.worker.set_rate(Math.round(Math.min(450, Math.max(80, settings.rate))));
    this.worker.set_range(Math.round(Math.min(99, Math.max(0, settings.range))));
    this.chunks = [];
    this.worker.synth_(text, this.callbackPointer);
    const chunks = this.chunks;
    this.chunks = [];
    let total = 0;
    for (const chunk of chunks) total += chunk.length;
    const samples = new Float32Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      for (let index = 0; index < chunk.length; index++) samples[offset + index] = (chunk[index] as number) / 32768;
      offset += chunk.length;
    }
    return samples;
  }
}
