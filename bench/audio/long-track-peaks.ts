/**
 * Peak resident memory of 600 s pieces, each rendered in its own fresh child process running the
 * compiled server (`long-track-child.mjs`; `npm run build` first): instrumental MP3, songs with
 * lyrics (lyrics_optimizer) as MP3, WAV and FLAC, and a song with 4,096 characters of lyrics that
 * never repeat. The peak is the kernel's VmHWM of the child
 * (worker threads included), read by the child at the end and checked here from /proc/<pid>/status
 * while it runs. Songs sing their notes in a short-lived process of their own first; its peak, and
 * the peak of the two processes' RSS summed (sampled every 50 ms), are shown too. Target: < 300 MB.
 * Usage: node --import tsx bench/audio/long-track-peaks.ts [seconds] [case ids, e.g. sung-mp3 sung-wav]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const seconds = Number(process.argv[2] ?? 600);
const CASES = [
  { id: 'instrumental-mp3', format: 'mp3', sung: false },
  { id: 'sung-mp3', format: 'mp3', sung: true },
  { id: 'sung-wav', format: 'wav', sung: true },
  { id: 'sung-flac', format: 'flac', sung: true },
  // 4,096 characters of lyrics that never repeat: the most distinct notes to sing and keep.
  { id: 'unrepeated-mp3', format: 'mp3', sung: 'long' },
] as const;
const chosen = process.argv.slice(3);
const mb = (kilobytes: number) => `${(kilobytes / 1024).toFixed(0)} MB`;

/** A field (VmHWM, VmRSS) of a running process in kB (0 once it has exited). */
function statusKb(pid: number, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The process and all its descendants. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    // Exited.
  }
  return [pid, ...children.flatMap(processTree)];
}

for (const { id, format, sung } of CASES.filter((entry) => chosen.length === 0 || chosen.includes(entry.id))) {
  const child = spawn(
    process.execPath,
    [resolve(ROOT, 'bench/audio/long-track-child.mjs'), String(seconds), format, sung === 'long' ? 'long' : sung ? '1' : '0'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const renderPid = child.pid as number;
  let observedKb = 0;
  let helperKb = 0;
  let sumKb = 0;
  const timer = setInterval(() => {
    const tree = processTree(renderPid);
    observedKb = Math.max(observedKb, statusKb(renderPid, 'VmHWM'));
    for (const pid of tree.slice(1)) helperKb = Math.max(helperKb, statusKb(pid, 'VmHWM'));
    sumKb = Math.max(
      sumKb,
      tree.reduce((sum, pid) => sum + statusKb(pid, 'VmRSS'), 0),
    );
  }, 50);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  clearInterval(timer);
  if (code !== 0) throw new Error(`${id}: child exited with ${code}`);
  const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { bytes: number; wallMs: number; loadedKb: number; peakKb: number };
  const peakKb = Math.max(result.peakKb, observedKb);
  console.log(
    `${id.padEnd(16)} ${seconds} s → ${(result.bytes / 2 ** 20).toFixed(1)} MB in ${(result.wallMs / 1000).toFixed(1)} s ` +
      `(${(seconds / (result.wallMs / 1000)).toFixed(1)}× real time); RSS after loading ${mb(result.loadedKb)}, ` +
      `peak ${mb(peakKb)}${helperKb ? `, singing process peak ${mb(helperKb)}, both together ${mb(sumKb)}` : ''} ` +
      `${Math.max(peakKb, helperKb, sumKb) < 300 * 1024 ? '(< 300 MB: yes)' : '(< 300 MB: NO)'}`,
  );
}
