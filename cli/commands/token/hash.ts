/** `token hash`: the scrypt hash of a secret, for a TOKENS_FILE entry (`{name, role, secretHash}`). */
import { Command } from '@oclif/core';
import { createInterface } from 'node:readline';
import { hashSecret } from '../../../src/config/secret-hash';
import { isInteractive } from '../../prompt';

/** Reads the secret from stdin (piped) or asks for it without echo; prints `scrypt$N$r$p$salt$hash`. */
export default class TokenHash extends Command {
  static override summary = 'Hash a token secret for TOKENS_FILE (scrypt; the secret is read from stdin or asked for).';
  static override examples = [
    'openssl rand -base64 32 | tee secret.txt | <%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %>   # asks for the secret without echoing it',
  ];
  static override enableJsonFlag = true;

  override async run(): Promise<{ secretHash: string }> {
    const secret = isInteractive() ? await askHidden('Secret: ') : await readStdin();
    if (secret.length < 8) this.error('the secret must be at least 8 characters (a long random one is best)', { exit: 2 });
    const secretHash = await hashSecret(secret);
    this.log(secretHash);
    return { secretHash };
  }
}

/** The first line of piped input, without its line ending. */
async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/, 1)[0] ?? '';
}

/** Asks on the terminal; what is typed is not echoed, so the secret stays off the screen and out of scrollback. */
function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stderr.write(question);
  output._writeToOutput = () => undefined;
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    }),
  );
}
