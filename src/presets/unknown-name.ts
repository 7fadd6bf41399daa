/** Messages for a name that names nothing: the closest known one and a short list of the others. Pure. */

/** How many known names a message lists before it says "and N more". */
const LISTED = 8;

/**
 * `unknown preset "ful"; did you mean "full"? known: full, minimal, ...`. The suggestion is the known name
 * nearest by edit distance when it is close enough to be a likely typo (or contains the name as typed).
 */
export function unknownNameMessage(kind: string, name: string, known: readonly string[]): string {
  const suggestion = closestName(name, known);
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
  if (known.length === 0) return `unknown ${kind} "${name}"${hint}; there are none`;
  const listed = known.slice(0, LISTED).join(', ');
  const more = known.length > LISTED ? `, and ${known.length - LISTED} more` : '';
  return `unknown ${kind} "${name}"${hint || ';'} known: ${listed}${more}`;
}

/** The known name closest to `name`, or null when none is plausibly what was meant. */
export function closestName(name: string, known: readonly string[]): string | null {
  const typed = name.toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const candidate of known) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  if (best && best.distance <= Math.max(1, Math.floor(typed.length / 3))) return best.name;
  const containing = known.find((candidate) => typed.length >= 3 && candidate.toLowerCase().includes(typed));
  return containing ?? null;
}

/** Levenshtein distance with two rows (names are short; only error paths call this). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
