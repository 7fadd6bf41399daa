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

/** Asks a yes/no question; only a yes answer is yes. */
export async function askYesNo(question: string): Promise<boolean> {
  return isYes(await askLine(`${question} [y/N] `));
}

/** Asks on stderr (stdout may be piped or carry --json) and reads one line from stdin. */
export async function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
