/**
 * The content-policy check on prompts and lyrics. The rule set is data (configurable by the
 * operator); each rule is a list of words or phrases matched as whole words, case-insensitively.
 * A match yields a violation with a suggested prompt where the matched words are removed.
 */
export interface ContentRule {
  /** Stable name shown in logs, e.g. `violence`. */
  readonly name: string;
  /** Words or phrases that trigger the rule. */
  readonly terms: readonly string[];
}

export interface ContentViolation {
  readonly rule: string;
  readonly field: 'prompt' | 'lyrics_prompt';
  /** The text with every matched term removed, when something meaningful remains. */
  readonly suggestedPrompt?: string;
}

/** The built-in default: a short, conservative list an operator is expected to replace. */
export const DEFAULT_CONTENT_RULES: readonly ContentRule[] = [
  { name: 'sexual-minors', terms: ['child porn', 'underage sex', 'cp porn'] },
  { name: 'terrorism', terms: ['bomb making instructions', 'join isis', 'terrorist propaganda'] },
  { name: 'hate', terms: ['genocide anthem', 'kill all jews', 'white power anthem'] },
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compile rules once; the returned checker is pure. */
export function createContentPolicy(rules: readonly ContentRule[]) {
  const compiled = rules.map((rule) => ({
    name: rule.name,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${rule.terms.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu'),
  }));
  return function check(fields: { prompt?: string; lyrics_prompt?: string }): ContentViolation | undefined {
    for (const field of ['prompt', 'lyrics_prompt'] as const) {
      const text = fields[field];
      if (!text) continue;
      for (const rule of compiled) {
        rule.pattern.lastIndex = 0;
        if (!rule.pattern.test(text)) continue;
        const cleaned = text.replace(rule.pattern, ' ').replace(/\s+/g, ' ').trim();
        return { rule: rule.name, field, suggestedPrompt: field === 'prompt' && cleaned.length >= 10 ? cleaned : undefined };
      }
    }
    return undefined;
  };
}

export type ContentPolicy = ReturnType<typeof createContentPolicy>;
