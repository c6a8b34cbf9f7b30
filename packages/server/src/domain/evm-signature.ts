import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

/**
 * The Ethereum signature arithmetic x402 needs, pure computation: Keccak-256, EIP-191
 * `personal_sign` digests, address recovery from a 65-byte `r‖s‖v` signature and EIP-55
 * checksummed addresses. Smart-contract wallets (EIP-1271) need a chain and are not supported.
 */

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const encoder = new TextEncoder();

/** Keccak-256 of bytes or of a UTF-8 string. */
export function keccak256(data: Uint8Array | string): Uint8Array {
  return keccak_256(typeof data === 'string' ? encoder.encode(data) : data);
}

/** Bytes of a `0x`-prefixed hex string; undefined when it is not one (of `length` bytes, when given). */
export function hexToBytes(hex: string, length?: number): Uint8Array | undefined {
  if (!/^0[xX]([0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  const bytes = Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
  return length === undefined || bytes.length === length ? bytes : undefined;
}

/** `0x`-prefixed lower-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/** Is this a 20-byte hex address (any letter case)? */
export function isAddress(value: unknown): value is string {
  return typeof value === 'string' && ADDRESS.test(value);
}

/** The EIP-55 mixed-case form of an address. */
export function checksumAddress(address: string): string {
  const lower = address.slice(2).toLowerCase();
  const hash = Buffer.from(keccak256(lower)).toString('hex');
  let out = '0x';
  for (let index = 0; index < lower.length; index++) {
    const character = lower[index] as string;
    out += Number.parseInt(hash[index] as string, 16) >= 8 ? character.toUpperCase() : character;
  }
  return out;
}

/** The digest `personal_sign` (EIP-191 version 0x45) signs for a text message. */
export function personalMessageDigest(message: string): Uint8Array {
  const body = encoder.encode(message);
  const prefix = encoder.encode(`\x19Ethereum Signed Message:\n${body.length}`);
  const joined = new Uint8Array(prefix.length + body.length);
  joined.set(prefix);
  joined.set(body, prefix.length);
  return keccak256(joined);
}

/** The address of an uncompressed or compressed secp256k1 public key. */
export function addressOfPublicKey(publicKey: Uint8Array): string {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return checksumAddress(bytesToHex(keccak256(uncompressed.slice(1)).slice(12)));
}

/**
 * The checksummed address that signed `digest` with a 65-byte `r‖s‖v` hex signature
 * (v = 27/28 or 0/1); undefined when the signature is malformed or recovers no key.
 * High-s signatures are refused (EIP-2), so each signature has one valid form.
 */
export function recoverAddress(digest: Uint8Array, signature: string): string | undefined {
  const bytes = hexToBytes(signature, 65);
  if (!bytes) return undefined;
  const v = bytes[64] as number;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) return undefined;
  const recovered = new Uint8Array(65);
  recovered[0] = recovery;
  recovered.set(bytes.slice(0, 64), 1);
  try {
    const parsed = secp256k1.Signature.fromBytes(recovered, 'recovered');
    if (parsed.hasHighS()) return undefined;
    return addressOfPublicKey(secp256k1.recoverPublicKey(recovered, digest, { prehash: false }));
  } catch {
    return undefined;
  }
}

/** Sign a digest as `r‖s‖v` hex (v = 27/28) — what a wallet does; used by tests and tools. */
export function signDigest(digest: Uint8Array, secretKey: Uint8Array): string {
  const recovered = secp256k1.sign(digest, secretKey, { prehash: false, format: 'recovered' });
  const out = new Uint8Array(65);
  out.set(recovered.slice(1), 0);
  out[64] = (recovered[0] as number) + 27;
  return bytesToHex(out);
}

/** The checksummed address of a secret key. */
export function addressOfSecretKey(secretKey: Uint8Array): string {
  return addressOfPublicKey(secp256k1.getPublicKey(secretKey, false));
}
