/** Who runs the CLI, sent as `X-Maintenance-Actor` so an anonymous loopback server can record `local:<name>`. */
import * as os from 'node:os';

/** Longest name sent; a user name is short, and the header must stay small. */
const MAX_ACTOR_LENGTH = 64;

/**
 * The OS user name as the server takes it; null when there is none (a uid without a passwd entry, as in
 * some containers, and no USER either).
 */
export function localUserName(userInfo: () => { username: string } = os.userInfo, env: NodeJS.ProcessEnv = process.env): string | null {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = env.USER ?? env.LOGNAME ?? env.USERNAME;
  }
  return actorHeaderValue(name ?? '');
}

/**
 * A name as the server accepts it (ASCII letters, digits and `. _ - @ +`, not starting with punctuation
 * other than `_`, at most 64): anything else becomes `_`, so `John Smith` is sent as `John_Smith` rather than
 * dropped by the server. Null when nothing is left.
 */
export function actorHeaderValue(name: string): string | null {
  let safe = name.trim().replace(/[^A-Za-z0-9._@+-]/g, '_');
  if (/^[.@+-]/.test(safe)) safe = `_${safe}`;
  safe = safe.slice(0, MAX_ACTOR_LENGTH);
  return safe ? safe : null;
}
