import { isAddress } from './evm-signature.js';

/**
 * The Sign-In-With-Ethereum message (EIP-4361, the EVM form of CAIP-122 "Sign-In-With-X"):
 * building it (clients, tests) and parsing it back (the server), line by line as the standard
 * lays it out. Only the fields Overture checks are kept.
 */
export interface SignInMessage {
  /** The host asking for the sign-in, with its port when not the default. */
  readonly domain: string;
  readonly address: string;
  readonly statement?: string;
  readonly uri: string;
  readonly version: string;
  readonly chainId: number;
  readonly nonce: string;
  /** ISO-8601 times. */
  readonly issuedAt: string;
  readonly expirationTime?: string;
  readonly notBefore?: string;
  readonly requestId?: string;
  readonly resources?: readonly string[];
}

const HEADER = ' wants you to sign in with your Ethereum account:';

/** The message text a wallet signs for these fields. */
export function buildSignInMessage(message: SignInMessage): string {
  const lines = [`${message.domain}${HEADER}`, message.address, ''];
  if (message.statement !== undefined) lines.push(message.statement);
  lines.push('', `URI: ${message.uri}`, `Version: ${message.version}`, `Chain ID: ${message.chainId}`, `Nonce: ${message.nonce}`);
  lines.push(`Issued At: ${message.issuedAt}`);
  if (message.expirationTime !== undefined) lines.push(`Expiration Time: ${message.expirationTime}`);
  if (message.notBefore !== undefined) lines.push(`Not Before: ${message.notBefore}`);
  if (message.requestId !== undefined) lines.push(`Request ID: ${message.requestId}`);
  if (message.resources?.length) lines.push('Resources:', ...message.resources.map((resource) => `- ${resource}`));
  return lines.join('\n');
}

const FIELDS: Record<string, keyof SignInMessage> = {
  URI: 'uri',
  Version: 'version',
  'Chain ID': 'chainId',
  Nonce: 'nonce',
  'Issued At': 'issuedAt',
  'Expiration Time': 'expirationTime',
  'Not Before': 'notBefore',
  'Request ID': 'requestId',
};

/** Parse a signed message; a string saying what is wrong when it is not an EIP-4361 message. */
export function parseSignInMessage(text: string): SignInMessage | string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const first = lines[0] ?? '';
  if (!first.endsWith(HEADER)) return 'the message is not a Sign-In-With-Ethereum message';
  const domain = first.slice(0, -HEADER.length).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const address = lines[1] ?? '';
  if (!domain || !isAddress(address)) return 'the message has no valid domain or address';
  if (lines[2] !== '') return 'the message is malformed after the address';
  let index = 3;
  let statement: string | undefined;
  if (lines[index] !== '' && !lines[index]?.startsWith('URI: ')) {
    statement = lines[index];
    index++;
  }
  if (lines[index] === '') index++;
  const fields: Record<string, string> = {};
  const resources: string[] = [];
  for (; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line === 'Resources:') {
      for (index++; index < lines.length && lines[index]?.startsWith('- '); index++) resources.push((lines[index] as string).slice(2));
      if (index < lines.length) return 'the message has text after its resources';
      break;
    }
    const separator = line.indexOf(': ');
    const name = FIELDS[line.slice(0, separator)];
    if (separator < 0 || !name || name in fields) return `the message has an unexpected line: ${JSON.stringify(line.slice(0, 40))}`;
    fields[name] = line.slice(separator + 2);
  }
  const { uri, version, chainId, nonce, issuedAt } = fields;
  if (!uri || !version || !chainId || !nonce || !issuedAt) return 'the message lacks URI, Version, Chain ID, Nonce or Issued At';
  if (!/^\d{1,15}$/.test(chainId)) return 'the message has an invalid Chain ID';
  if (!/^[a-zA-Z0-9]{8,}$/.test(nonce)) return 'the message nonce must be at least 8 letters or digits';
  return {
    domain,
    address,
    ...(statement !== undefined ? { statement } : {}),
    uri,
    version,
    chainId: Number(chainId),
    nonce,
    issuedAt,
    ...(fields.expirationTime !== undefined ? { expirationTime: fields.expirationTime } : {}),
    ...(fields.notBefore !== undefined ? { notBefore: fields.notBefore } : {}),
    ...(fields.requestId !== undefined ? { requestId: fields.requestId } : {}),
    ...(resources.length ? { resources } : {}),
  };
}
