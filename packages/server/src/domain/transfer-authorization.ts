import { hexToBytes, keccak256 } from './evm-signature.js';

/**
 * EIP-3009 `TransferWithAuthorization`, the payment of x402's `exact` scheme on EVM chains, and
 * its EIP-712 digest (what the payer's wallet signs with `eth_signTypedData_v4`).
 */

/** The signed fields; integers as decimal strings, addresses and the nonce as hex. */
export interface TransferAuthorization {
  readonly from: string;
  readonly to: string;
  readonly value: string;
  readonly validAfter: string;
  readonly validBefore: string;
  /** 32 random bytes, hex: single use per payer and token contract. */
  readonly nonce: string;
}

/** The EIP-712 domain of the token contract (USDC: name `USD Coin`, version `2`). */
export interface TokenDomain {
  readonly name: string;
  readonly version: string;
  readonly chainId: number;
  /** The token contract's address. */
  readonly verifyingContract: string;
}

const DOMAIN_TYPE = 'EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)';
const TRANSFER_TYPE =
  'TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)';

/** A uint256 (decimal, or hex with `0x`) as 32 big-endian bytes; undefined when out of range. */
export function uint256Word(value: string | number | bigint): Uint8Array | undefined {
  let number: bigint;
  try {
    number = typeof value === 'string' && !/^(0[xX][0-9a-fA-F]+|\d+)$/.test(value) ? -1n : BigInt(value);
  } catch {
    return undefined;
  }
  if (number < 0n || number >= 2n ** 256n) return undefined;
  return Uint8Array.from(Buffer.from(number.toString(16).padStart(64, '0'), 'hex'));
}

function addressWord(address: string): Uint8Array | undefined {
  const bytes = hexToBytes(address, 20);
  if (!bytes) return undefined;
  const word = new Uint8Array(32);
  word.set(bytes, 12);
  return word;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The EIP-712 domain separator of a token contract. */
export function domainSeparator(domain: TokenDomain): Uint8Array | undefined {
  const chain = uint256Word(domain.chainId);
  const contract = addressWord(domain.verifyingContract);
  if (!chain || !contract) return undefined;
  return keccak256(concat([keccak256(DOMAIN_TYPE), keccak256(domain.name), keccak256(domain.version), chain, contract]));
}

/** The digest a wallet signs for this authorization; undefined when a field is malformed. */
export function transferAuthorizationDigest(authorization: TransferAuthorization, domain: TokenDomain): Uint8Array | undefined {
  const words = [
    addressWord(authorization.from),
    addressWord(authorization.to),
    uint256Word(authorization.value),
    uint256Word(authorization.validAfter),
    uint256Word(authorization.validBefore),
    hexToBytes(authorization.nonce, 32),
  ];
  const separator = domainSeparator(domain);
  if (!separator || words.some((word) => word === undefined)) return undefined;
  const structHash = keccak256(concat([keccak256(TRANSFER_TYPE), ...(words as Uint8Array[])]));
  return keccak256(concat([Uint8Array.of(0x19, 0x01), separator, structHash]));
}
