/**
 * x402 wallet sign-in for the client: a Sign-In-With-Ethereum message (EIP-4361) signed by the
 * caller's wallet, sent base64-encoded in the `SIGN-IN-WITH-X` header. The SDK never holds a
 * private key: it asks a `WalletSigner` (viem's `account.signMessage`, ethers' `wallet.signMessage`,
 * a hardware wallet…) to sign the text.
 */
export interface WalletSigner {
  /** The wallet's address (`0x…`, EIP-55 checksummed). */
  readonly address: string;
  /** EIP-191 `personal_sign` of the text: a 65-byte `0x…` hex signature. */
  signMessage(message: string): Promise<string> | string;
  /** EVM chain id the server expects; default 8453 (Base). */
  readonly chainId?: number;
}

/** Fields of the message, for callers that build their own. */
export interface SignInMessageFields {
  readonly domain: string;
  readonly address: string;
  readonly statement?: string;
  readonly uri: string;
  readonly chainId: number;
  readonly nonce: string;
  readonly issuedAt: string;
  readonly expirationTime?: string;
}

/** The EIP-4361 message text for these fields (version 1). */
export function signInMessage(fields: SignInMessageFields): string {
  const lines = [`${fields.domain} wants you to sign in with your Ethereum account:`, fields.address, ''];
  if (fields.statement !== undefined) lines.push(fields.statement);
  lines.push(
    '',
    `URI: ${fields.uri}`,
    'Version: 1',
    `Chain ID: ${fields.chainId}`,
    `Nonce: ${fields.nonce}`,
    `Issued At: ${fields.issuedAt}`,
  );
  if (fields.expirationTime !== undefined) lines.push(`Expiration Time: ${fields.expirationTime}`);
  return lines.join('\n');
}

function randomNonce(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * A fresh `SIGN-IN-WITH-X` header for requests to `baseUrl` (its host is the message's domain),
 * valid for `lifetimeMs` (default 5 minutes, the server's usual limit).
 */
export async function signInHeader(signer: WalletSigner, baseUrl: string, now = Date.now(), lifetimeMs = 300_000): Promise<string> {
  const url = new URL(baseUrl);
  const chainId = signer.chainId ?? 8453;
  const message = signInMessage({
    domain: url.host,
    address: signer.address,
    statement: 'Sign in to use the audio API',
    uri: url.origin,
    chainId,
    nonce: randomNonce(),
    issuedAt: new Date(now).toISOString(),
    expirationTime: new Date(now + lifetimeMs).toISOString(),
  });
  const signature = await signer.signMessage(message);
  return toBase64(JSON.stringify({ address: signer.address, message, signature, timestamp: now, chainId }));
}
