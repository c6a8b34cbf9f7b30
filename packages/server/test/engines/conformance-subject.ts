/** A shorter way to describe a conformance subject: the engine, its request, and what it must refuse. */
import type { Engine, EngineRejection, EngineRequest } from '../../src/ports/engine.js';
import { closing } from '../support/engine-harness.js';
import type { ConformanceSubject } from './engine-conformance.js';

/** What `subjectOf` makes a subject of: `ConformanceSubject`'s fields, with `refuse` for its `reject`. */
export type SubjectParts = Omit<ConformanceSubject, 'engine' | 'reject' | 'close'> & {
  /** What changes of `request` make a request the engine must refuse; absent: no refusal is checked. */
  readonly refuse?: Partial<EngineRequest>;
  /** The kind of that refusal; `invalid_input` when not given. */
  readonly kind?: EngineRejection['kind'];
};

/** The conformance subject of `engine` that `parts` describe; its `close` closes the engine, then each of `others` (a fake upstream's). */
export function subjectOf(engine: Engine, parts: SubjectParts, ...others: (() => Promise<void>)[]): ConformanceSubject {
  const { refuse, kind = 'invalid_input', ...subject } = parts;
  const reject = refuse && { request: { ...subject.request, ...refuse }, kind };
  return { engine, ...subject, ...(reject && { reject }), close: closing(engine, ...others) };
}
