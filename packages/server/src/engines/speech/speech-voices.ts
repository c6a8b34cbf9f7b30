/** The built-in voices: each is an eSpeak NG language voice plus a timbre variant of our own. */

/** Voice gender, used when mapping other vendors' voice names. */
export type SpeechGender = 'female' | 'male';

/** Timbre of a voice, written out as an eSpeak NG variant file. */
export interface VoiceTimbre {
  /** Bottom and top of the intonation range in Hz. */
  readonly pitchLow: number;
  readonly pitchHigh: number;
  /** Formant frequency scale in percent (vocal tract length: higher sounds smaller). */
  readonly formantPercent: number;
  /** Pitch wobble 0..100 (eSpeak default 64); more sounds older or shakier. */
  readonly flutter: number;
  /** Breathiness 0..20 added to the higher formants (0 = none). */
  readonly breath: number;
}

/** One row of the voice table. */
export interface SpeechVoice {
  /** Public name, lower case, as requests spell it. */
  readonly name: string;
  /** ISO 639-1 code of the voice's own language. */
  readonly language: string;
  readonly gender: SpeechGender;
  /** One line for the docs and the voice list. */
  readonly description: string;
  /** eSpeak NG language voice (accent), e.g. `en-us`, `en-gb-x-rp`. */
  readonly accent: string;
  /** Words per minute at speed 1. */
  readonly rate: number;
  /** Intonation range 0..99. */
  readonly range: number;
  readonly timbre: VoiceTimbre;
}

const timbre = (pitchLow: number, pitchHigh: number, formantPercent: number, flutter = 40, breath = 0): VoiceTimbre => ({
  pitchLow,
  pitchHigh,
  formantPercent,
  flutter,
  breath,
});

const voice = (
  name: string,
  language: string,
  gender: SpeechGender,
  accent: string,
  rate: number,
  range: number,
  voiceTimbre: VoiceTimbre,
  description: string,
): SpeechVoice => ({ name, language, gender, accent, rate, range, timbre: voiceTimbre, description });

/** Every built-in voice. English first; the first one is the default. */
export const SPEECH_VOICES: readonly SpeechVoice[] = Object.freeze([
  voice('ava', 'en', 'female', 'en-us', 172, 55, timbre(165, 265, 110), 'American English, clear mid-pitched female; the default'),
  voice('iris', 'en', 'female', 'en-us', 192, 70, timbre(205, 330, 117, 30), 'American English, high, quick and lively female'),
  voice(
    'maya',
    'en',
    'female',
    'en-us',
    150,
    40,
    timbre(140, 210, 105, 50, 8),
    'American English, low, warm, unhurried and slightly breathy female',
  ),
  voice('alba', 'en', 'female', 'en-gb-x-rp', 165, 55, timbre(175, 270, 112), 'British English (RP), measured female'),
  voice('ruth', 'en', 'female', 'en', 140, 45, timbre(150, 225, 106, 90, 4), 'British English, older, slow female with a slight waver'),
  voice('noah', 'en', 'male', 'en-us', 170, 50, timbre(100, 150, 100), 'American English, even mid-pitched male'),
  voice('felix', 'en', 'male', 'en-us', 198, 65, timbre(128, 190, 104, 30), 'American English, light and brisk tenor'),
  voice('oscar', 'en', 'male', 'en-gb-x-rp', 145, 40, timbre(76, 108, 91, 50), 'British English (RP), deep and slow baritone'),
  voice('hugo', 'en', 'male', 'en-gb-scotland', 160, 55, timbre(95, 140, 97), 'Scottish English, relaxed male'),
  voice('greta', 'de', 'female', 'de', 165, 55, timbre(170, 260, 110), 'German female'),
  voice('lukas', 'de', 'male', 'de', 165, 50, timbre(98, 145, 99), 'German male'),
  voice('camille', 'fr', 'female', 'fr', 170, 55, timbre(175, 270, 111), 'French female'),
  voice('louis', 'fr', 'male', 'fr', 170, 50, timbre(100, 150, 100), 'French male'),
  voice('lucia', 'es', 'female', 'es', 175, 55, timbre(170, 265, 110), 'Spanish (Spain) female'),
  voice('diego', 'es', 'male', 'es', 175, 50, timbre(100, 150, 100), 'Spanish (Spain) male'),
  voice('giulia', 'it', 'female', 'it', 170, 60, timbre(175, 275, 111), 'Italian female'),
  voice('marco', 'it', 'male', 'it', 170, 55, timbre(100, 150, 100), 'Italian male'),
  voice('ana', 'pt', 'female', 'pt-br', 170, 55, timbre(170, 265, 110), 'Brazilian Portuguese female'),
  voice('pedro', 'pt', 'male', 'pt-br', 170, 50, timbre(100, 150, 100), 'Brazilian Portuguese male'),
  voice('yuki', 'ja', 'female', 'ja', 165, 50, timbre(185, 280, 113), 'Japanese female'),
  voice('kenji', 'ja', 'male', 'ja', 165, 45, timbre(105, 150, 100), 'Japanese male'),
  voice('mei', 'zh', 'female', 'cmn', 160, 60, timbre(180, 280, 112), 'Mandarin Chinese female'),
  voice('wei', 'zh', 'male', 'cmn', 160, 55, timbre(105, 160, 100), 'Mandarin Chinese male'),
  voice('priya', 'hi', 'female', 'hi', 165, 55, timbre(175, 270, 111), 'Hindi female'),
  voice('arjun', 'hi', 'male', 'hi', 165, 50, timbre(100, 150, 100), 'Hindi male'),
  voice('sanne', 'nl', 'female', 'nl', 170, 55, timbre(170, 260, 110), 'Dutch female'),
  voice('olga', 'ru', 'female', 'ru', 165, 55, timbre(170, 260, 110), 'Russian female'),
  voice('ivan', 'ru', 'male', 'ru', 160, 50, timbre(92, 135, 97), 'Russian male'),
  voice('zofia', 'pl', 'female', 'pl', 165, 55, timbre(170, 260, 110), 'Polish female'),
  voice('astrid', 'sv', 'female', 'sv', 165, 60, timbre(175, 270, 111), 'Swedish female'),
  voice('jiwoo', 'ko', 'female', 'ko', 165, 50, timbre(180, 270, 112), 'Korean female'),
  voice('elif', 'tr', 'female', 'tr', 165, 55, timbre(170, 260, 110), 'Turkish female'),
]);

/** The voice used when a request names none. */
export const DEFAULT_SPEECH_VOICE = 'ava';

const VOICES_BY_NAME = new Map(SPEECH_VOICES.map((entry) => [entry.name, entry]));

/** Look up a built-in voice by name (case-insensitive); undefined when unknown. */
export function findSpeechVoice(name: string): SpeechVoice | undefined {
  return VOICES_BY_NAME.get(name.trim().toLowerCase());
}

/** The first voice of a language and gender (either gender when that one is missing). */
export function voiceForLanguage(language: string, gender?: SpeechGender): SpeechVoice | undefined {
  const candidates = SPEECH_VOICES.filter((entry) => entry.language === language);
  return candidates.find((entry) => entry.gender === gender) ?? candidates[0];
}

/** The eSpeak variant file for a voice's timbre. */
export function variantFileFor(entry: SpeechVoice): string {
  const { pitchLow, pitchHigh, formantPercent, flutter, breath } = entry.timbre;
  const lines = [
    'language variant',
    `name ${entry.name}`,
    `gender ${entry.gender}`,
    `pitch ${pitchLow} ${pitchHigh}`,
    `flutter ${flutter}`,
  ];
  for (let formant = 1; formant <= 8; formant++) {
    const frequency = formant <= 3 ? formantPercent : Math.round((formantPercent + 100) / 2);
    lines.push(`formant ${formant} ${frequency} 100 100`);
  }
  if (breath > 0) lines.push(`breath 0 0 ${breath} ${breath} ${breath} ${breath} ${breath} ${breath}`);
  return `${lines.join('\n')}\n`;
}

/** File name of a voice's variant in eSpeak's variant folder. */
export function variantNameFor(entry: SpeechVoice): string {
  return `overture-${entry.name}`;
}
