/**
 * Who this tab is to the API (GET /api/v1/whoami) and what its role may do, so controls the role may not
 * use are disabled rather than failing with 403 (SPEC 8). Without tokens everyone is `admin`.
 */
import { api } from '../api/client';
import { Cell, useCell } from './resource';

/** The caller as the server sees it; null until known (controls stay enabled then: the server still decides). */
export interface Access {
  actor: string;
  role: 'viewer' | 'operator' | 'admin' | 'scenario';
  anonymous: boolean;
}

/** The one shared value. */
export const access = new Cell<Access | null>(null);

/** Asks the server once; a 401 leaves it null (the token prompt shows). */
export function loadAccess(): void {
  api.whoami().then(
    (who) => access.set(who),
    () => undefined,
  );
}

const RANK = { scenario: 0, viewer: 1, operator: 2, admin: 3 } as const;

/** True when the caller's role reaches `needed` (or is not known yet). */
export function useCan(needed: 'operator' | 'admin'): boolean {
  const who = useCell(access);
  return who === null || RANK[who.role] >= RANK[needed];
}

/** The tooltip of a control the role may not use. */
export function roleHint(needed: 'operator' | 'admin'): string {
  return `Needs the ${needed} role; your token has ${access.current?.role ?? 'another role'}`;
}
