import type { AdapterContext, InstanceSettings } from '../../ports/engine-adapter.js';
import type { ReceiveOptions } from './receive-audio.js';
import { UpstreamClient, type UpstreamClientOptions } from './upstream-client.js';

/**
 * An instance's `url` checked as its upstream's base: required, a URL, http or https. The
 * messages say what it is (`what`, when it is missing) and show one (`example`, "e.g. …").
 * Returns it without trailing slashes, ready for paths to follow.
 */
export function upstreamBaseUrl(url: string | undefined, what: string, example: string): string {
  if (!url) throw new Error(`url: required, ${what} (${example})`);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error(`url: "${url}" is not a URL (${example})`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`url: must be http or https (${example})`);
  return url.replace(/\/+$/, '');
}

/** Where one client of an instance sends, and what it changes of the instance's defaults. */
export type UpstreamClientChoices = Pick<UpstreamClientOptions, 'baseUrl'> &
  Partial<Pick<UpstreamClientOptions, 'headers' | 'requestTimeoutMs' | 'busy'>>;

/**
 * A client of an instance's upstream at `choices.baseUrl`: named after the instance, sending its
 * credential as a bearer key when it has one, each request within its request timeout, through
 * the adapter's fetch. `choices` replace any of these (a file host's client: `headers: {}`) and
 * set how long an upstream at capacity is waited out.
 */
export function upstreamClient(settings: InstanceSettings, context: AdapterContext, choices: UpstreamClientChoices): UpstreamClient {
  return new UpstreamClient({
    instance: settings.name,
    headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
    requestTimeoutMs: settings.requestTimeoutMs,
    fetch: context.fetch,
    ...choices,
  });
}

/**
 * What bounds every audio answer an instance sends, for `receiveAudio`: messages name the
 * instance, an answer is capped at its `maxResponseBytes`, each chunk must come within its
 * request timeout.
 */
export function receiveLimits(settings: InstanceSettings): Pick<ReceiveOptions, 'instance' | 'maxBytes' | 'idleTimeoutMs'> {
  return { instance: settings.name, maxBytes: settings.maxResponseBytes, idleTimeoutMs: settings.requestTimeoutMs };
}
