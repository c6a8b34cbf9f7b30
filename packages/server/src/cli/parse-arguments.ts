/** Positional words and `--flag value` / `--flag` options, in the usual GNU style. */
export interface ParsedArguments {
  readonly positional: string[];
  readonly options: Record<string, string | true>;
}

/** Single-letter aliases: `-o FILE`, `-h`, `-y`. */
const SHORT: Readonly<Record<string, string>> = { o: 'output', h: 'help', y: 'yes' };

/**
 * Parse argv; `booleans` names the flags that never take a value. A lone `-` is a word (stdin),
 * and everything after `--` is positional.
 */
export function parseArguments(argv: readonly string[], booleans: readonly string[] = []): ParsedArguments {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] as string;
    if (word === '--') {
      positional.push(...argv.slice(index + 1));
      break;
    }
    const isShort = /^-[a-zA-Z]$/.test(word);
    if (!word.startsWith('--') && !isShort) {
      positional.push(word);
      continue;
    }
    const [raw, inline] = isShort
      ? [SHORT[word.slice(1)] ?? word.slice(1), undefined]
      : (word.slice(2).split('=', 2) as [string, string | undefined]);
    const name = raw as string;
    const next = argv[index + 1];
    if (inline !== undefined) options[name] = inline;
    else if (booleans.includes(name) || next === undefined || (next.startsWith('-') && next !== '-')) options[name] = true;
    else options[name] = argv[++index] as string;
  }
  return { positional, options };
}
