/** Positional words and `--flag value` / `--flag` options, in the usual GNU style. */
export interface ParsedArguments {
  readonly positional: string[];
  readonly options: Record<string, string | true>;
}

/** Parse argv; `booleans` names the flags that never take a value. */
export function parseArguments(argv: readonly string[], booleans: readonly string[] = []): ParsedArguments {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] as string;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) options[name] = inline;
    else if (booleans.includes(name) || index + 1 >= argv.length || (argv[index + 1] as string).startsWith('--')) options[name] = true;
    else options[name] = argv[++index] as string;
  }
  return { positional, options };
}
