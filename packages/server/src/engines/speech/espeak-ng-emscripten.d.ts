/**
 * Types for the parts of `@echogarden/espeak-ng-emscripten` (an Emscripten build of eSpeak NG,
 * GPL-3.0) that the speech engine uses. The package ships no declarations of its own.
 */
declare module '@echogarden/espeak-ng-emscripten' {
  /** One eSpeak NG synthesizer bound to the module's single WASM memory. */
  export interface EspeakWorker {
    /** Select a voice such as `en-us` or `en-us+variant`. */
    set_voice(name: string): number;
    /** Words per minute, 80..450. */
    set_rate(rate: number): void;
    /** Base pitch 0..99 relative to the voice (50 = the voice's own). */
    set_pitch(pitch: number): void;
    /** Intonation range 0..99 (0 = monotone). */
    set_range(range: number): void;
    get_samplerate(): number;
    /** Synthesize (SSML enabled); `callbackPointer` comes from `addFunction(..., 'iiii')`. */
    synth_(text: string, callbackPointer: number): void;
  }

  /** The instantiated Emscripten module. */
  export interface EspeakModule {
    eSpeakNGWorker: new () => EspeakWorker;
    HEAPU8: Uint8Array;
    HEAP16: Int16Array;
    addFunction(callback: (audioPointer: number, sampleCount: number, eventsPointer: number) => number, signature: string): number;
    FS: {
      writeFile(path: string, data: string): void;
      readdir(path: string): string[];
    };
  }

  /** Instantiate the module (loads `espeak-ng.data` from the package folder). */
  export default function loadEspeak(moduleArgument?: Record<string, unknown>): Promise<EspeakModule>;
}
