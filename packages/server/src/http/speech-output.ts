import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { StopReason } from '../ports/engine.js';
import type { SpeechOutput } from '../services/speech-service.js';
import { hijackWithHead } from './request-basics.js';

/**
 * Streamed speech: the head goes out with the first bytes, each chunk is written as it comes
 * (waiting while the socket is full). Audio counts as delivered once a chunk was taken.
 */
export function streamedSpeech(reply: FastifyReply): SpeechOutput {
  let delivered = false;
  return {
    open: (headers) => void hijackWithHead(reply, headers),
    write: async (chunk) => {
      await writeWithBackPressure(reply.raw, chunk);
      delivered = true;
    },
    // An engine that wrote nothing still gets an (empty) answer.
    flush: async () => void (reply.sent || hijackWithHead(reply, {})),
    end: () => void reply.raw.end(),
    delivered: () => delivered,
  };
}

/**
 * Non-streaming speech: the audio is gathered, then sent as one body with its length. It counts
 * as delivered only once every byte was handed to the connection.
 */
export function bufferedSpeech(reply: FastifyReply): SpeechOutput {
  const chunks: Uint8Array[] = [];
  let headers: Record<string, string> = {};
  let delivered = false;
  return {
    open: (opened) => (headers = opened),
    write: async (chunk) => void chunks.push(chunk),
    flush: async () => {
      const body = Buffer.concat(chunks);
      chunks.length = 0;
      if (reply.raw.destroyed) throw new StopReason('disconnected');
      const raw = hijackWithHead(reply, { ...headers, 'content-length': String(body.length) });
      await writeFully(raw, body);
      delivered = true;
    },
    end: () => void reply.raw.end(),
    delivered: () => delivered,
  };
}

/** Whether the client went away before its answer was finished. */
export function clientLeft(response: ServerResponse): boolean {
  return response.destroyed && !response.writableFinished;
}

/** Write a chunk; resolve once the socket takes more, reject when the client went away instead. */
function writeWithBackPressure(response: ServerResponse, chunk: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (response.destroyed) return reject(new StopReason('disconnected'));
    if (response.write(chunk)) return resolve();
    const settle = () => {
      response.off('drain', settle);
      response.off('close', settle);
      if (clientLeft(response)) reject(new StopReason('disconnected'));
      else resolve();
    };
    response.once('drain', settle);
    response.once('close', settle);
  });
}

/**
 * Write `chunk` and resolve once it was handed to the connection; reject when the client went
 * away first (a write to a destroyed socket never calls back, so its close decides).
 */
function writeFully(response: ServerResponse, chunk: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const left = () => reject(new StopReason('disconnected'));
    response.once('close', left);
    response.write(chunk, (error) => {
      response.off('close', left);
      if (error) reject(new StopReason('disconnected'));
      else resolve();
    });
  });
}
