/**
 * API tokens (SPEC 8): `MAINTENANCE_TOKENS=name:role:secret,...` (a bare `name:secret` is `admin`) and a
 * `TOKENS_FILE` of `{name, role, secretHash}` entries. Parsed once at boot; a bad entry names its variable.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { parseSecretHash, type SecretHash } from './secret-hash';

/** What a token may do; `scenario` is apart from the others (its own registration only). */
export type TokenRole = 'viewer' | 'operator' | 'admin' | 'scenario';

/** Every role, in the order of the ladder (scenario last: it is not on the ladder). */
export const TOKEN_ROLES: readonly TokenRole[] = ['viewer', 'operator', 'admin', 'scenario'];

/** One configured token. Exactly one of `digest` (a plain secret's SHA-256) and `secretHash` (scrypt) is set. */
export interface ApiToken {
  /** The actor recorded for this token; for `scenario`, the only id it may register. */
  name: string;
  role: TokenRole;
  digest: Buffer | null;
  secretHash: SecretHash | null;
}

/** Thrown for a bad entry; config turns it into a ConfigError naming `variable`. */
export class TokenConfigProblem extends Error {
  constructor(readonly variable: string, message: string) {
    super(message);
  }
}

/** Same rule as an actor name in the activity log (and a scenario id for `scenario` tokens). */
const TOKEN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,63}$/;

/**
 * SHA-256 of a secret: the fixed-length form every presented secret is compared in. Every request with a
 * token pays for it, so it is the one-shot `crypto.hash` where node has it (20.12 and later; half the cost
 * of a Hash object), else `createHash`: the same digest either way.
 */
export const secretDigest: (secret: string) => Buffer =
  typeof crypto.hash === 'function' ? (secret) => crypto.hash('sha256', secret, 'buffer') : (secret) => crypto.createHash('sha256').update(secret, 'utf8').digest();

/** Parses `MAINTENANCE_TOKENS`. */
export function parseTokenList(raw: string): ApiToken[] {
  const tokens: ApiToken[] = [];
  for (const entry of raw.split(',').map((item) => item.trim()).filter(Boolean)) {
    const parts = entry.split(':');
    const [name, role, secret] = parts.length >= 3 && isRole(parts[1]) ? [parts[0], parts[1], parts.slice(2).join(':')] : [parts[0], 'admin', parts.slice(1).join(':')];
    const where = `"${name}:..."`;
    // Without a colon the entry holds no secret, so it can be shown whole; otherwise only its name is.
    if (parts.length < 2) throw new TokenConfigProblem('MAINTENANCE_TOKENS', `"${entry}" must be name:secret or name:role:secret`);
    if (!secret) throw new TokenConfigProblem('MAINTENANCE_TOKENS', `${where} must be name:secret or name:role:secret`);
    checkName(name, 'MAINTENANCE_TOKENS');
    tokens.push({ name, role: role as TokenRole, digest: secretDigest(secret), secretHash: null });
  }
  return tokens;
}

/** Reads and parses `TOKENS_FILE`. */
export function readTokensFile(file: string): ApiToken[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new TokenConfigProblem('TOKENS_FILE', `cannot read ${file}: ${(error as Error).message}`);
  }
  let entries: unknown;
  try {
    entries = parse(text);
  } catch (error) {
    throw new TokenConfigProblem('TOKENS_FILE', `${file} is not YAML: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) throw new TokenConfigProblem('TOKENS_FILE', `${file} must be a YAML list of {name, role, secretHash}`);
  return entries.map((entry: unknown, index) => fileEntry(entry, `${file} entry ${index + 1}`));
}

/** Refuses two tokens with one name: the name is the actor, so the log could not tell them apart. */
export function checkUnique(tokens: readonly ApiToken[]): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token.name)) throw new TokenConfigProblem('MAINTENANCE_TOKENS', `the token name "${token.name}" is used twice (here or in TOKENS_FILE)`);
    seen.add(token.name);
  }
  const digests = tokens.flatMap((token) => (token.digest ? [token.digest.toString('hex')] : []));
  if (new Set(digests).size !== digests.length) throw new TokenConfigProblem('MAINTENANCE_TOKENS', 'two tokens share one secret: which role would it have?');
}

function fileEntry(entry: unknown, where: string): ApiToken {
  const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const { name, role, secretHash } = record;
  if (typeof name !== 'string') throw new TokenConfigProblem('TOKENS_FILE', `${where}: name must be a string`);
  checkName(name, 'TOKENS_FILE');
  if (typeof role !== 'string' || !isRole(role)) throw new TokenConfigProblem('TOKENS_FILE', `${where}: role must be one of ${TOKEN_ROLES.join(', ')}`);
  const parsed = typeof secretHash === 'string' ? parseSecretHash(secretHash) : 'is missing';
  if (typeof parsed === 'string') throw new TokenConfigProblem('TOKENS_FILE', `${where}: secretHash ${parsed}`);
  return { name, role, digest: null, secretHash: parsed };
}

function checkName(name: string, variable: string): void {
  if (!TOKEN_NAME.test(name)) throw new TokenConfigProblem(variable, `token name "${name}" must be 1-64 letters, digits or . _ - @ +`);
}

function isRole(text: string): text is TokenRole {
  return (TOKEN_ROLES as readonly string[]).includes(text);
}
