/**
 * The base of every command that talks to a server: `--json`, `--url`, `--token`, a lazily built API client,
 * the confirmation flow of bulk changes, and the one mapping from failures to messages and exit codes.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Command, Flags, Interfaces, ux } from '@oclif/core';
import { localUserName } from './actor';
import { ApiClient } from './api-client';
import { ApiError, CliFailure, EXIT, exitCodeOfChange, toFailure, type ChangeOutcome, type ExitCode } from './errors';
import { planLines } from './format';
import { askYesNo, isInteractive } from './prompt';

/** The parsed flags of a command, base flags included. */
export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
/** The parsed args of a command. */
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** The longest source name the server takes (ApplyManifestsDto.source). */
const MAX_SOURCE_LENGTH = 300;

/** Default server address, SPEC 6's MAINTENANCE_PORT on loopback. */
export const DEFAULT_URL = 'http://127.0.0.1:3250';

/** Base class of the API commands. */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    url: Flags.string({ summary: 'Base URL of the orchestrator.', env: 'MAINTENANCE_URL', default: DEFAULT_URL, helpGroup: 'GLOBAL' }),
    token: Flags.string({ summary: 'API token, sent as Authorization: Bearer.', env: 'MAINTENANCE_TOKEN', helpGroup: 'GLOBAL' }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  private apiClient: ApiClient | null = null;

  override async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
  }

  /** The API client, built on first use so `--help` and flag errors never need a valid URL. */
  protected get client(): ApiClient {
    if (!this.apiClient) {
      try {
        this.apiClient = new ApiClient({ url: this.flags.url, token: this.flags.token, actor: localUserName() ?? undefined });
      } catch (error) {
        throw new CliFailure(`--url: ${(error as Error).message}`, EXIT.usage);
      }
    }
    return this.apiClient;
  }

  /** Stops the command with a message on stderr, `body` as the --json output, and an exit code. */
  protected fail(message: string, exit: ExitCode, body?: unknown): never {
    throw new CliFailure(message, exit, body);
  }

  /**
   * Prints what a change did, then ends with the exit code of the rule: 1 when a scenario call failed,
   * 3 when a gate holds back everything the change asked for, else 0 (blocked ones are in the lines).
   */
  protected finishChange(lines: string[], outcome: ChangeOutcome, body: unknown): void {
    this.log(lines.join('\n'));
    const exit = exitCodeOfChange(outcome);
    if (exit === EXIT.failure) {
      const ids = (outcome.failed ?? []).map((entry) => entry.scenario).join(', ');
      this.fail(`not converged: ${ids} did not acknowledge (the loop keeps trying)`, exit, body);
    }
    if (exit === EXIT.refused) {
      const ids = outcome.touched.join(', ');
      this.fail(`refused: a gate holds back every scenario this change asked for (${ids}); they stay desired and start when the gate clears`, exit, body);
    }
  }

  /**
   * Sends a bulk change; when the server asks for confirmation (428), shows its plan and asks on a terminal,
   * or refuses with exit 3 in a script. `--yes` confirms up front, so it is one request.
   */
  protected async withConfirmation<R>(send: (confirm: boolean) => Promise<R>, yes: boolean): Promise<R> {
    try {
      return await send(yes);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 428) throw error;
      const plan = error.body.plan;
      if (!isInteractive()) {
        if (plan) this.log(planLines(plan, 'would').join('\n'));
        this.fail(`refused: ${error.body.message}. Nothing changed; pass --yes to confirm.`, EXIT.refused, error.body);
      }
      if (plan) this.showOnStderrIfJson(planLines(plan, 'would'));
      if (!(await askYesNo(`${error.body.message}. Proceed?`))) this.fail('cancelled; nothing changed', EXIT.refused, error.body);
      return send(true);
    }
  }

  /** Asks before an action the server does not guard (stop-all); refuses without a terminal or --yes. */
  protected async confirmLocally(question: string, lines: string[], yes: boolean, refusedBody: unknown): Promise<void> {
    if (yes) return;
    if (!isInteractive()) {
      this.log(lines.join('\n'));
      this.fail(`${question.replace(/\?$/, '')}: refused without confirmation; nothing changed. Pass --yes to confirm.`, EXIT.refused, refusedBody);
    }
    this.showOnStderrIfJson(lines);
    if (!(await askYesNo(question))) this.fail('cancelled; nothing changed', EXIT.refused, refusedBody);
  }

  /**
   * Reads a file the user named (`-` is stdin); a missing file is a usage error. The source is the path as
   * typed, so the server's `file:line` messages point at the file the user named.
   */
  protected async readInput(file: string): Promise<{ text: string; source: string }> {
    try {
      if (file === '-') return { text: await readStdin(), source: 'stdin' };
      return { text: await readFile(file, 'utf8'), source: file.length <= MAX_SOURCE_LENGTH ? file : path.basename(file) };
    } catch (error) {
      this.fail(`cannot read ${file}: ${(error as Error).message}`, EXIT.usage);
    }
  }

  /** The --json error output: the API's own error object when there is one. */
  protected override toErrorJson(error: unknown): unknown {
    const failure = toFailure(error);
    if (failure) return failure.body ?? { error: failure.name, message: failure.message };
    // oclif's own errors (bad flags) carry the whole parser context: keep the part a script can use.
    const { name, message } = error as Error;
    return { error: name || 'Error', message: message ?? String(error) };
  }

  /** One place for failures: a message on stderr, the body on stdout with --json, and the exit code. */
  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    const failure = toFailure(error);
    if (!failure) {
      // Flag and argument errors: oclif prints them; keep its usage exit code under --json too.
      const exit = (error as { oclif?: { exit?: number } }).oclif?.exit;
      if (exit !== undefined) process.exitCode = exit;
      return super.catch(error);
    }
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(failure));
    ux.stderr(failure.message);
    this.exit(failure.exit);
  }

  /** Where a plan goes before a prompt: stdout normally, stderr when stdout carries JSON. */
  private showOnStderrIfJson(lines: string[]): void {
    if (this.jsonEnabled()) ux.stderr(lines.join('\n'));
    else this.log(lines.join('\n'));
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
