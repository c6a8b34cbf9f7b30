/** Split normalised text into utterances (sentences, or clauses of long sentences) with pauses. Pure. */

/** One piece of text to synthesise in one call, and the silence that follows it. */
export interface Utterance {
  readonly text: string;
  /** Silence after this utterance at speed 1, in seconds. */
  readonly pauseSeconds: number;
  /** Index in the input just past this utterance, for progress reporting. */
  readonly end: number;
}

/** Pause lengths at speed 1, in seconds. */
export const PAUSES = Object.freeze({ clause: 0.12, line: 0.4, sentence: 0.35, paragraph: 0.8 });

/** Longest utterance passed to the synthesizer in one call, in characters. */
const MAX_UTTERANCE = 320;

const SENTENCE_END = /[.!?…]+["'”’)\]]*\s+|[。！？]+["'”’」』)]*\s*/gu;

function splitLong(sentence: string): string[] {
  if (sentence.length <= MAX_UTTERANCE) return [sentence];
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > MAX_UTTERANCE) {
    const window = rest.slice(0, MAX_UTTERANCE);
    const clause = Math.max(window.lastIndexOf(', '), window.lastIndexOf('; '), window.lastIndexOf(': '), window.lastIndexOf('、'));
    const space = window.lastIndexOf(' ');
    const cut = clause > MAX_UTTERANCE / 3 ? clause + 1 : space > MAX_UTTERANCE / 3 ? space : MAX_UTTERANCE;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** Yield utterances in order; lazily, so very long texts never exist as one big array. */
export function* splitUtterances(text: string): Generator<Utterance> {
  const paragraphPattern = /\n\s*\n/g;
  let paragraphStart = 0;
  while (paragraphStart <= text.length) {
    const paragraphMatch = paragraphPattern.exec(text);
    const paragraphEnd = paragraphMatch ? paragraphMatch.index : text.length;
    const next = paragraphMatch ? paragraphMatch.index + paragraphMatch[0].length : text.length + 1;
    const lines = text.slice(paragraphStart, paragraphEnd).split('\n');
    let lineOffset = paragraphStart;
    for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
      const line = lines[lineIndex] as string;
      const lastLine = lineIndex === lines.length - 1;
      let sentenceStart = 0;
      const sentences: { text: string; end: number }[] = [];
      SENTENCE_END.lastIndex = 0;
      for (let match = SENTENCE_END.exec(line); match; match = SENTENCE_END.exec(line)) {
        const end = match.index + match[0].length;
        sentences.push({ text: line.slice(sentenceStart, end).trim(), end });
        sentenceStart = end;
      }
      if (sentenceStart < line.length) sentences.push({ text: line.slice(sentenceStart).trim(), end: line.length });
      const spoken = sentences.filter((sentence) => /[\p{L}\p{N}]/u.test(sentence.text));
      for (let sentenceIndex = 0; sentenceIndex < spoken.length; sentenceIndex++) {
        const sentence = spoken[sentenceIndex] as { text: string; end: number };
        const pieces = splitLong(sentence.text);
        const lastSentence = sentenceIndex === spoken.length - 1;
        for (let pieceIndex = 0; pieceIndex < pieces.length; pieceIndex++) {
          const lastPiece = pieceIndex === pieces.length - 1;
          let pauseSeconds: number = PAUSES.clause;
          if (lastPiece) pauseSeconds = !lastSentence ? PAUSES.sentence : lastLine ? PAUSES.paragraph : PAUSES.line;
          yield { text: pieces[pieceIndex] as string, pauseSeconds, end: lineOffset + sentence.end };
        }
      }
      lineOffset += line.length + 1;
    }
    paragraphStart = next;
  }
}
