/** Flags shared by the bulk commands, so they read the same everywhere. */
import { Flags } from '@oclif/core';

/** `--yes`: confirm a bulk change without a prompt (scripts). */
export const yesFlag = Flags.boolean({ char: 'y', summary: 'Confirm a bulk change without asking (needed without a terminal).', default: false });

/** `--dry-run`: plan only. */
export const dryRunFlag = Flags.boolean({ summary: 'Only print the plan; change nothing.', default: false });

const FILE_SUMMARY = 'Manifest file (YAML or JSON; - reads stdin).';

/** `-f FILE`: a manifest file (YAML or JSON, `-` for stdin), required. */
export const fileFlag = Flags.string({ char: 'f', summary: FILE_SUMMARY, helpValue: '<file>', required: true });

/** `-f FILE`, optional (plan). */
export const optionalFileFlag = Flags.string({ char: 'f', summary: FILE_SUMMARY, helpValue: '<file>' });

/** Comma-separated lists (`--tags a,b`), also repeatable (`--tags a --tags b`). */
export function listFlag(summary: string) {
  return Flags.string({ summary, multiple: true, delimiter: ',' });
}
