/** The name this browser's user goes by in the activity log, in anonymous loopback mode. Pure. */

/**
 * The server's rule for `X-Maintenance-Actor` (ACTOR_NAME in src/api/auth.ts; a test holds the two
 * together): 1 to 64 ASCII letters, digits and `. _ - @ +`, starting with a letter, a digit or `_`.
 */
export const ACTOR_NAME = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,63}$/;

/** Why `name` cannot be sent, or null when it can. */
export function actorNameProblem(name: string): string | null {
  if (!name) return 'Type a name, or choose “Not now”.';
  if (name.length > 64) return 'At most 64 characters.';
  if (!ACTOR_NAME.test(name)) return 'Letters, digits and . _ - @ + only, no spaces; start with a letter or a digit.';
  return null;
}

/** How the activity log will name this user: what the server records for a request from this page. */
export function actorLabel(mode: { token: boolean; name: string | null }): string {
  if (mode.token) return 'your token’s name';
  return mode.name ? `local:${mode.name}` : 'local';
}
