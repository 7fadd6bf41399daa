/** The y/N confirmation of bulk commands. Only on a terminal: a script gets a refusal telling it to pass --yes. */
import { createInterface } from 'node:readline/promises';

/** True when a person can answer: stdin is a terminal. */
export function isInteractive(stdin: { isTTY?: boolean } = process.stdin): boolean {
  return stdin.isTTY === true;
}

/** True for an answer that means yes; anything else (including empty) is no. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}

/** Asks on stderr (stdout may be piped or carry --json) and reads one line from stdin. */
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return isYes(await rl.question(`${question} [y/N] `));
  } finally {
    rl.close();
  }
}
