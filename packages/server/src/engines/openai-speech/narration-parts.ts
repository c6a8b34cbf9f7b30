import { PAUSES, splitUtterances } from '../speech/sentence-splitter.js';

/** One upstream request's worth of a long text, and the pause that follows it (at speed 1). */
export interface NarrationPart {
  readonly text: string;
  readonly pauseSeconds: number;
}

/**
 * Cut one utterance longer than `limit` at its last clause mark (", ", "; ", ": ") within the
 * limit, else at its last space; a single word longer than the limit is the only thing ever cut.
 */
function splitLong(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const clause = Math.max(window.lastIndexOf(', '), window.lastIndexOf('; '), window.lastIndexOf(': '));
    const space = window.lastIndexOf(' ');
    const cut = clause > limit / 3 ? clause + 1 : space > 0 ? space : limit;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Split a long text into parts of at most `limit` characters made of whole sentences (the
 * project's sentence splitter finds them); a sentence longer than the limit is cut at a comma or
 * a space. Line and paragraph breaks are kept inside a part, so the upstream's prosody sees them.
 */
export function splitNarration(text: string, limit: number): NarrationPart[] {
  const parts: NarrationPart[] = [];
  let current = '';
  let pause: number = PAUSES.sentence;
  const flush = () => {
    if (current.length > 0) parts.push({ text: current, pauseSeconds: pause });
    current = '';
  };
  for (const utterance of splitUtterances(text)) {
    for (const piece of splitLong(utterance.text, limit)) {
      const separator = current.length === 0 ? '' : pause >= PAUSES.line ? '\n' : ' ';
      if (current.length + separator.length + piece.length > limit) flush();
      current += current.length === 0 ? piece : separator + piece;
      pause = PAUSES.clause;
    }
    pause = utterance.pauseSeconds;
  }
  flush();
  return parts;
}
