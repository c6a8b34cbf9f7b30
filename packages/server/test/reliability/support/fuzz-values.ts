import type { Prng } from './prng.js';

/** The queue body's optional feature fields, in the order the fuzzers and properties draw them. */
export const FEATURE_FIELDS = ['force_instrumental', 'lyrics_optimizer', 'loop', 'voice', 'language_code', 'speed'] as const;

/** Awkward JSON values: wrong types, edges, huge and odd strings, nesting, prototype keys. */
export function oddValue(random: Prng, depth = 0): unknown {
  switch (random.int(0, 17)) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e-308, 0.5, 3.999999, 600, 601, 4.0000001]);
    case 3:
      return random.int(-1000, 100_000);
    case 4:
      return random.next() * 1000 - 100;
    case 5:
      return '';
    case 6:
      return random.pick(['0', '01', '1e3', '-5', ' 60', '60 ', '0x10', 'NaN', 'Infinity', '9'.repeat(400), '١٢', '６０']);
    case 7:
      return 'x'.repeat(random.pick([1, 9, 10, 4096, 4097, 20_000]));
    case 8:
      return random.pick([
        '\u0000',
        '\ud800',
        '🎵'.repeat(50),
        '<script>',
        "'; DROP TABLE jobs; --",
        '../../etc/passwd',
        '%00',
        '\r\n\r\n',
      ]);
    case 9:
      return random.pick([
        'overture-sketch',
        'overture-music',
        'overture-tts',
        'overture-music-pro',
        'overture-narrator',
        'nope',
        'OVERTURE-SKETCH',
      ]);
    case 10:
      return depth > 3 ? [] : Array.from({ length: random.int(0, 3) }, () => oddValue(random, depth + 1));
    case 11:
      return depth > 3 ? {} : { [random.pick(['__proto__', 'constructor', 'a', 'model', 'prototype'])]: oddValue(random, depth + 1) };
    case 12:
      return random.pick(['mp3', 'wav', 'flac', 'opus', 'aac', 'pcm', 'ogg']);
    case 13:
      return random.pick(['en', 'EN', 'eng', 'zz', 'e']);
    case 14:
      return random.pick([0.25, 4, 0.24, 4.01, 1, -1]);
    case 15:
      return crypto.randomUUID();
    case 16:
      return random.pick(['https://example.com/hook', 'http://127.0.0.1/', 'http://169.254.169.254/', 'file:///etc/passwd', 'not a url']);
    default:
      return 'a calm piano piece in D minor';
  }
}

/** A random JSON document of any shape (not necessarily an object). */
export function randomJson(random: Prng): unknown {
  if (random.chance(0.6)) {
    const object: Record<string, unknown> = {};
    for (let i = random.int(0, 6); i > 0; i--)
      object[random.pick(['model', 'prompt', 'queue_id', 'duration_seconds', 'input', 'usd', 'name', 'x', '__proto__'])] = oddValue(random);
    return object;
  }
  return oddValue(random);
}

/** Mutate a valid body: drop, add, retype or replace a field (or several). */
export function mutate(random: Prng, body: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  for (let i = random.int(1, 3); i > 0; i--) {
    const keys = Object.keys(copy);
    const action = random.int(0, 3);
    if (action === 0 && keys.length > 0) delete copy[random.pick(keys)];
    else if (action === 1)
      copy[
        random.pick([
          'extra',
          'lyrics_prompt',
          ...FEATURE_FIELDS,
          'webhook_url',
          'quote_id',
          'delete_media_on_completion',
          'character_count',
          'response_format',
          'streaming',
        ])
      ] = oddValue(random);
    else if (keys.length > 0) copy[random.pick(keys)] = oddValue(random);
  }
  return copy;
}

/**
 * Amounts at the edges of exact money: beyond any balance, past 2^53 micro-units, below one
 * micro-unit, negative zero, and strings that parse to infinity. Each must be refused or stored exactly.
 */
export function moneyEdge(random: Prng): unknown {
  return random.pick([
    1e308,
    1.7976931348623157e308,
    2 ** 53,
    2 ** 53 / 1e6 + 1,
    9_007_199_254.740993,
    1e15,
    1e-7,
    0.0000015,
    0.1 + 0.2,
    -0,
    -1,
    'Infinity',
    '1e308',
    1e6,
  ]);
}
