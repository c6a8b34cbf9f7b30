/**
 * Every distinct note of a vocal line (syllable, pitch, length) sung once, in child processes that
 * exit afterwards (`sing-process.ts`): singing costs well over 100 MB of memory in eSpeak NG, which
 * is given back before a long render starts, and songs repeat most of their notes, so the bank is far smaller
 * than the voice. A note's samples do not depend on where it starts, so the bank gives the voice
 * that singing the whole line at once gives (to 16 bits per note, see `packNote`).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PackedNote, SingJob, SingReply } from './sing-process.js';
import type { VocalNote } from './vocal-line.js';

/** Sung samples (16-bit, scaled) by `noteKey`, each starting at the note's start. */
export type VoiceBank = ReadonlyMap<string, PackedNote>;

/** What makes two notes sound the same. */
export function noteKey(note: VocalNote): string {
  return `${note.midiPitch}\n${note.durationSeconds}\n${note.syllable}`;
}

function startSingProcess(): ChildProcess {
  // In the build the sources are .js; under tsx (tests, development) they are .ts and the child
  // must load tsx too.
  const typescript = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(typescript ? './sing-process.ts' : './sing-process.js', import.meta.url));
  return fork(entry, [], {
    // --expose-gc lets it free eSpeak's per-pitch memory copies promptly; one malloc arena keeps
    // its allocator from spreading over several (~20 MB less at its peak, glibc only).
    execArgv: [...(typescript ? ['--import', import.meta.resolve('tsx')] : []), '--expose-gc'],
    env: { ...process.env, MALLOC_ARENA_MAX: '1' },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Notes per singing process: its memory grows with the notes it sings (~165 MB for 430). */
const NOTES_PER_PROCESS = 160;

/** Sing `notes` in one child process, which then ends; aborting ends it at once. */
async function singInChild(notes: readonly VocalNote[], options: Omit<SingJob, 'notes'>, signal?: AbortSignal): Promise<PackedNote[]> {
  signal?.throwIfAborted();
  const sung: PackedNote[] = [];
  const child = startSingProcess();
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal?.reason ?? new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (error?: Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      child.on('message', (reply: SingReply) => {
        if ('note' in reply) sung[reply.index] = reply.note;
        else settle('error' in reply ? new Error(`singing failed: ${reply.error}`) : undefined);
      });
      child.once('error', settle);
      child.once('exit', (code) => settle(new Error(`singing process exited (${code}) before it finished`)));
      const job: SingJob = { ...options, notes };
      child.send(job);
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
  return sung;
}

/**
 * Sing the distinct notes of `notes`, same pitches together, in child processes one after the
 * other (a few hundred notes each, so that none grows large); aborting ends the running one.
 */
export async function singVoiceBank(
  notes: readonly VocalNote[],
  options: Omit<SingJob, 'notes'>,
  signal?: AbortSignal,
): Promise<VoiceBank> {
  const distinct = [...new Map(notes.map((note) => [noteKey(note), note])).values()];
  // Same pitches in a row let eSpeak reuse its voice state: faster, and less memory churned.
  distinct.sort((left, right) => left.midiPitch - right.midiPitch || (noteKey(left) < noteKey(right) ? -1 : 1));
  const bank = new Map<string, PackedNote>();
  for (let first = 0; first < distinct.length; first += NOTES_PER_PROCESS) {
    const group = distinct.slice(first, first + NOTES_PER_PROCESS);
    const sung = await singInChild(group, options, signal);
    group.forEach((note, index) => {
      bank.set(noteKey(note), sung[index] ?? { samples: new Int16Array(0), step: 1 });
    });
  }
  return bank;
}
