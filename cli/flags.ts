/** Flags shared by the bulk commands, so they read the same everywhere. */
import { Flags } from '@oclif/core';
import { parseDuration } from '../src/config/duration';

/** `--yes`: confirm a bulk change without a prompt (scripts). */
export const yesFlag = Flags.boolean({ char: 'y', summary: 'Confirm a bulk change without asking (needed without a terminal).', default: false });

/** `--dry-run`: plan only. */
export const dryRunFlag = Flags.boolean({ summary: 'Only print the plan; change nothing.', default: false });

const FILE_SUMMARY = 'Manifest file (YAML or JSON; - reads stdin).';

/** `-f FILE`: a manifest file (YAML or JSON, `-` for stdin), required. */
export const fileFlag = Flags.string({ char: 'f', summary: FILE_SUMMARY, helpValue: '<file>', required: true });

/** `-f FILE`, optional (plan). */
export const optionalFileFlag = Flags.string({ char: 'f', summary: FILE_SUMMARY, helpValue: '<file>' });

/**
 * `--at TIME`: passed as typed, so the server reads it on its own clock and zone (or --tz): ISO, "now",
 * "+3h", "02:00", "tomorrow 02:00", "sat 02:00". A time it cannot read is refused there (exit 2).
 */
export const atFlag = Flags.string({ summary: 'The instant: ISO (2026-12-24T02:00, ...Z), "now", "+3h", "tomorrow 02:00", "sat 02:00".', helpValue: '<time>' });

/** `--tz ZONE`: the IANA zone --at (and --from/--to) are read in; the server's zone when left out. */
export const tzFlag = Flags.string({ summary: 'IANA zone the times are read in (default: the server\'s).', helpValue: '<zone>' });

/** Comma-separated lists (`--tags a,b`), also repeatable (`--tags a --tags b`). */
export function listFlag(summary: string) {
  return Flags.string({ summary, multiple: true, delimiter: ',' });
}

/**
 * Checks a `--ttl` before anything is sent and returns it: a duration of at least a second. `0` is refused
 * rather than guessed at: "expire at once" would undo the activation, and "never" would quietly lift the
 * DEFAULT_TIMEOUT an operator set as a safety net (leaving --ttl out is how to get the default).
 */
export function checkTtl(input: string): string {
  let ms: number;
  try {
    ms = parseDuration(input);
  } catch (error) {
    throw new Error(`--ttl: ${(error as Error).message}`);
  }
  if (ms < 1000) {
    throw new Error(`--ttl ${input} is refused: an activation lasts at least 1s; say how long, such as 30m or 2h. Leave --ttl out for the default timeout; 'deactivate' ends an activation.`);
  }
  return input.trim();
}

/** `--ttl 2h`: how long an activation lasts; commands check it with `checkTtl` (a bad value is a usage error, exit 2). */
export const ttlFlag = Flags.string({
  summary: 'How long the activation lasts: 30m, 2h, 1h30m, or seconds (at least 1s; 0 is refused).',
  helpValue: '<duration>',
});
