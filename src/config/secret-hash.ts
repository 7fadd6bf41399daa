/**
 * Token secrets at rest: node's scrypt, written `scrypt$N$r$p$salt$hash` (salt and hash in base64), the form
 * `maintenance-orchestrator token hash` prints and TOKENS_FILE holds. Pure node:crypto, no Nest.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters and sizes; N = 2^15 takes some 50 ms and 32 MiB, which a login-less API pays once per token. */
export const SCRYPT_DEFAULTS = { N: 32_768, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/** A parsed `scrypt$...` string. */
export interface SecretHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses a hash string; returns why it is not one instead of throwing, so config can name the variable. */
export function parseSecretHash(text: string): SecretHash | string {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return 'must look like scrypt$N$r$p$salt$hash (made by `maintenance-orchestrator token hash`)';
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20) return 'N must be a power of two from 2 to 2^20';
  if (!Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return 'r must be 1-32 and p 1-16';
  if (!BASE64.test(parts[4]) || !BASE64.test(parts[5])) return 'salt and hash must be base64';
  const salt = Buffer.from(parts[4], 'base64');
  const hash = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || hash.length < 16) return 'salt must be at least 8 bytes and hash at least 16';
  return { N, r, p, salt, hash };
}

/** Hashes a secret with a fresh salt (the CLI's `token hash`). */
export async function hashSecret(secret: string, params: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(SCRYPT_DEFAULTS.saltBytes);
  const hash = await derive(secret, salt, SCRYPT_DEFAULTS.keyBytes, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True when `secret` matches; the comparison is constant-time over equal-length keys. */
export async function verifySecret(secret: string, stored: SecretHash): Promise<boolean> {
  const candidate = await derive(secret, stored.salt, stored.hash.length, stored);
  return timingSafeEqual(candidate, stored.hash);
}

function derive(secret: string, salt: Buffer, keyBytes: number, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; the default maxmem (32 MiB) is exactly N = 2^15, so allow headroom.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(secret, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))));
}
