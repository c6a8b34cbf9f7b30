/**
 * A small real program for the `command` adapter's tests, written to a temporary directory and
 * run with `process.execPath` (the script's path is the instance's first argument). It
 * synthesises a 16-bit mono WAV (a 440 Hz tone) of the asked length and writes it to stdout or
 * to `--out=PATH`, and can be told to misbehave through `FAKE_MODE` in its environment.
 *
 * Arguments (`--name=value`): `--duration=S` (else `duration_seconds` of JSON read on stdin,
 * else 0.02 s a character of the prompt), `--rate=HZ` (16000), `--raw` (s16le without a header),
 * `--out=PATH`, `--read-stdin`, `--record=PATH` (writes `{argv, stdin, env, cwd, pid}` as JSON),
 * `--pid-file=PATH`, `--prompt=TEXT` (a prompt holding REFUSE exits 64 with a reason on stderr).
 *
 * FAKE_MODE: `ok` (default) · `fail` (100 KiB of stderr then a last line, exit 3) · `garbage`
 * (text, exit 0) · `truncated` (a header stating 1 s, half of it written, exit 0) · `hang` (some
 * audio, the pid file, then waits for ever) · `stubborn` (hang, ignoring SIGTERM) · `huge` (audio
 * without end) · `grandchild` (hang with a child of its own; the pid file holds both pids).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SOURCE = String.raw`
import { spawn } from 'node:child_process';
import { openSync, writeFileSync, writeSync } from 'node:fs';

const args = {};
for (const arg of process.argv.slice(2)) {
  const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
  if (match) args[match[1]] = match[2] ?? true;
}
const mode = process.env.FAKE_MODE ?? 'ok';
const rate = Number(args.rate ?? 16000);

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function header(frames) {
  const bytes = frames === undefined ? 0xffffffff : frames * 2;
  const out = Buffer.alloc(44);
  out.write('RIFF', 0);
  out.writeUInt32LE(frames === undefined ? 0xffffffff : 36 + bytes, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(bytes, 40);
  return out;
}

let position = 0;
function tone(frames) {
  const out = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++, position++) out.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * position) / rate)), i * 2);
  return out;
}

const fd = args.out ? openSync(args.out, 'w') : undefined;
async function write(bytes) {
  if (fd !== undefined) return void writeSync(fd, bytes);
  if (!process.stdout.write(bytes)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}

async function audio(frames, declared = frames) {
  if (!args.raw) await write(header(declared));
  for (let done = 0; done < frames; done += 4096) await write(tone(Math.min(4096, frames - done)));
}

const forever = () => setInterval(() => undefined, 1000);
process.stdout.on('error', () => process.exit(0));

const stdin = args['read-stdin'] ? await readStdin() : undefined;
if (args.record) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('FAKE_') || key === 'PATH' || key === 'SECRET_TOKEN'));
  writeFileSync(args.record, JSON.stringify({ argv: process.argv.slice(2), stdin, env, cwd: process.cwd(), pid: process.pid }));
}
if (args['pid-file'] && !['hang', 'stubborn', 'grandchild'].includes(mode)) writeFileSync(args['pid-file'], String(process.pid));
const prompt = typeof args.prompt === 'string' ? args.prompt : '';
const json = stdin && stdin.trim().startsWith('{') ? JSON.parse(stdin) : {};
const seconds = Number(args.duration ?? json.duration_seconds ?? Math.max(0.5, (prompt || json.prompt || stdin || '').length * 0.02));
const frames = Math.round(seconds * rate);

if (prompt.includes('REFUSE')) {
  process.stderr.write('loading the model\nwarming up\nvoice is not available: REFUSE\n');
  process.exitCode = 64;
} else if (mode === 'fail') {
  for (let i = 0; i < 2000; i++) process.stderr.write('noise line ' + i + ' ' + 'x'.repeat(40) + '\n');
  process.stderr.write('RuntimeError: CUDA out of memory\n');
  process.exitCode = 3;
} else if (mode === 'garbage') {
  await write(Buffer.from('this is not audio at all '.repeat(400)));
} else if (mode === 'truncated') {
  await audio(Math.round(rate / 2), rate);
} else if (mode === 'hang' || mode === 'stubborn' || mode === 'grandchild') {
  if (mode === 'stubborn') process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\n'));
  const pids = [process.pid];
  if (mode === 'grandchild') pids.push(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }).pid);
  await write(header(undefined));
  await write(tone(Math.round(rate / 10)));
  if (args['pid-file']) writeFileSync(args['pid-file'], pids.join(' '));
  forever();
} else if (mode === 'huge') {
  await write(header(undefined));
  for (;;) await write(tone(16384));
} else {
  await audio(frames);
}
`;

/** Write the program into `dir`; its path (run it with `process.execPath`). */
export async function writeCommandProgram(dir: string): Promise<string> {
  const path = join(dir, 'fake-model.mjs');
  await writeFile(path, SOURCE);
  return path;
}
