/** Languages the speech engine can speak: ISO 639-1 code (or code-region) → eSpeak NG voice. */

/** One supported language. */
export interface SpeechLanguage {
  /** ISO 639-1 code, lower case. */
  readonly code: string;
  /** English name. */
  readonly name: string;
  /** eSpeak NG language voice. */
  readonly accent: string;
}

const language = (code: string, name: string, accent: string): SpeechLanguage => ({ code, name, accent });

/** Every language, in the order the docs list them. */
export const SPEECH_LANGUAGES: readonly SpeechLanguage[] = Object.freeze([
  language('en', 'English', 'en-us'),
  language('de', 'German', 'de'),
  language('fr', 'French', 'fr'),
  language('es', 'Spanish', 'es'),
  language('it', 'Italian', 'it'),
  language('pt', 'Portuguese (Brazil)', 'pt-br'),
  language('ja', 'Japanese', 'ja'),
  language('zh', 'Mandarin Chinese', 'cmn'),
  language('hi', 'Hindi', 'hi'),
  language('nl', 'Dutch', 'nl'),
  language('ru', 'Russian', 'ru'),
  language('pl', 'Polish', 'pl'),
  language('sv', 'Swedish', 'sv'),
  language('ko', 'Korean', 'ko'),
  language('tr', 'Turkish', 'tr'),
  language('ar', 'Arabic', 'ar'),
  language('cs', 'Czech', 'cs'),
  language('da', 'Danish', 'da'),
  language('fi', 'Finnish', 'fi'),
  language('el', 'Greek', 'el'),
  language('he', 'Hebrew', 'he'),
  language('hu', 'Hungarian', 'hu'),
  language('id', 'Indonesian', 'id'),
  language('nb', 'Norwegian Bokmål', 'nb'),
  language('no', 'Norwegian', 'nb'),
  language('ro', 'Romanian', 'ro'),
  language('uk', 'Ukrainian', 'uk'),
  language('vi', 'Vietnamese', 'vi'),
  language('ca', 'Catalan', 'ca'),
  language('bg', 'Bulgarian', 'bg'),
  language('hr', 'Croatian', 'hr'),
  language('sk', 'Slovak', 'sk'),
  language('ms', 'Malay', 'ms'),
  language('ta', 'Tamil', 'ta'),
  language('bn', 'Bengali', 'bn'),
  language('fa', 'Persian', 'fa'),
  language('sw', 'Swahili', 'sw'),
  language('yue', 'Cantonese', 'yue'),
]);

const REGIONAL_ACCENTS: Readonly<Record<string, string>> = {
  'en-us': 'en-us',
  'en-gb': 'en-gb-x-rp',
  'en-au': 'en',
  'en-in': 'en',
  'en-sc': 'en-gb-scotland',
  'pt-br': 'pt-br',
  'pt-pt': 'pt',
  'es-mx': 'es-419',
  'es-419': 'es-419',
  'fr-ca': 'fr',
  'zh-cn': 'cmn',
  'zh-tw': 'cmn',
  'zh-hk': 'yue',
};

const LANGUAGES_BY_CODE = new Map(SPEECH_LANGUAGES.map((entry) => [entry.code, entry]));

/** The language for a code such as `de`, `DE`, `pt-BR` or `en_GB`; undefined when unsupported. */
export function findSpeechLanguage(code: string): SpeechLanguage | undefined {
  const normalized = code.trim().toLowerCase().replace('_', '-');
  const base = LANGUAGES_BY_CODE.get(normalized.split('-')[0] ?? '');
  if (!base) return undefined;
  const regional = REGIONAL_ACCENTS[normalized];
  return regional ? { ...base, accent: regional } : base;
}
