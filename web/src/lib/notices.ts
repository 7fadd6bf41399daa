/** The one stack of messages: what it keeps, and for how long. Pure. */

/** The outcome of an action, said in words (refusals keep the server's reason). */
export interface Notice {
  id: number;
  kind: 'success' | 'warning' | 'error';
  text: string;
}

/** Messages shown at once; a fourth pushes one out, so the stack never grows over the page. */
export const NOTICES_KEPT = 3;

/** How long a success stays (paused while pointed at or focused); warnings and errors stay until closed. */
export const SUCCESS_NOTICE_MS = 6_000;

/**
 * Adds `notice` at the end. Over the limit the oldest success makes room first (it would go by itself
 * soon anyway), then the oldest of the rest; the new one always shows: it answers what the user just did.
 */
export function pushNotice(notices: readonly Notice[], notice: Notice, kept = NOTICES_KEPT): Notice[] {
  const next = [...notices, notice];
  while (next.length > kept) {
    const success = next.findIndex((each) => each.kind === 'success' && each !== notice);
    next.splice(success >= 0 ? success : 0, 1);
  }
  return next;
}

/** Whether a notice goes away by itself. */
export function isTransient(notice: Notice): boolean {
  return notice.kind === 'success';
}
