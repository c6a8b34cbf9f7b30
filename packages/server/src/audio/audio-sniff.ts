import type { AudioFormat } from '../ports/engine.js';
import { parseMpegAudioHeader } from './mpeg-frames.js';

/** The bytes an upstream sent are not a complete, well-formed file of the expected format (or are too large). */
export class MalformedAudioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedAudioError';
  }
}

/** How many leading bytes `sniffAudioFormat` needs to recognise every format (fewer work for most). */
export const SNIFF_BYTES = 64;

function startsWith(bytes: Uint8Array, text: string, offset = 0): boolean {
  if (bytes.length < offset + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** True when `bytes` starts with an ADTS (AAC) frame header: sync 0xFFF and layer 0. */
export function isAdtsStart(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xf6) === 0xf0;
}

/**
 * The format of a file from its first bytes (give at least SNIFF_BYTES when there are that many):
 * `RIFF….WAVE` wav, `fLaC` flac, `OggS` whose first packet is `OpusHead` opus, ADTS aac,
 * `ID3` or an MPEG audio frame header mp3. Undefined when none matches (raw `pcm` cannot be recognised).
 */
export function sniffAudioFormat(bytes: Uint8Array): AudioFormat | undefined {
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WAVE', 8)) return 'wav';
  if (startsWith(bytes, 'fLaC')) return 'flac';
  if (startsWith(bytes, 'OggS')) return bytes.length > 26 && startsWith(bytes, 'OpusHead', 27 + bytes[26]) ? 'opus' : undefined;
  if (startsWith(bytes, 'ID3')) return 'mp3';
  if (isAdtsStart(bytes)) return 'aac';
  if (bytes.length >= 4 ? parseMpegAudioHeader(bytes, 0) : bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return 'mp3';
  return undefined;
}

const CONTENT_TYPE_FORMATS: ReadonlyMap<string, AudioFormat> = new Map(
  Object.entries({
    'audio/mpeg': 'mp3',
    'audio/mp3': 'mp3',
    'audio/mpeg3': 'mp3',
    'audio/x-mpeg': 'mp3',
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
    'audio/wave': 'wav',
    'audio/vnd.wave': 'wav',
    'audio/flac': 'flac',
    'audio/x-flac': 'flac',
    'audio/ogg': 'opus',
    'audio/opus': 'opus',
    'audio/aac': 'aac',
    'audio/x-aac': 'aac',
    'audio/pcm': 'pcm',
    'audio/l16': 'pcm',
  } satisfies Record<string, AudioFormat>),
);

/**
 * The format a Content-Type header names (parameters and case ignored), e.g. `audio/mpeg` → mp3.
 * `audio/ogg` is taken as Ogg Opus (the pipe checks for `OpusHead`). Undefined for anything else.
 */
export function formatOfContentType(contentType: string | null): AudioFormat | undefined {
  if (!contentType) return undefined;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return CONTENT_TYPE_FORMATS.get(mediaType);
}
