/**
 * The CLI's failures and the one rule that maps outcomes to exit codes (README "CLI"): 1 when a call failed
 * (the orchestrator or a scenario unreachable or answering an error, an unknown name); 3 when a gate or a
 * missing confirmation refused all of what was asked; 2 for usage errors; 0 otherwise, blocked scenarios listed.
 */
import type { ApiErrorBody, AppliedDocument } from './api-types';

/** Exit codes of every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2, refused: 3 } as const;

/** One of the exit codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The server answered with an error status; `body` is its JSON error object. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
}

/** The server could not be reached (refused, DNS, timeout): nothing was answered. */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach the orchestrator at ${url}: ${reason} (is it running? start it with 'npm start' or 'maintenance-orchestrator serve')`);
    this.name = 'UnreachableError';
  }
}

/**
 * A failure a command reports on purpose: `message` goes to stderr, `body` (when given) is what `--json`
 * prints on stdout, `exit` is the code.
 */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exit: ExitCode,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/**
 * Exit code of an HTTP error. 409 is a gate refusal (3) unless it is a plain naming conflict such as a preset
 * that already exists (1); 428 is an unconfirmed change (3); bad input is a usage problem (2); an unknown id
 * is a failure (1), like kubectl's NotFound, since the request itself was well formed.
 */
export function exitCodeForStatus(status: number, code?: string): ExitCode {
  if (status === 428) return EXIT.refused;
  if (status === 409) return code === 'Conflict' ? EXIT.failure : EXIT.refused;
  if (status === 400 || status === 413 || status === 422) return EXIT.usage;
  return EXIT.failure;
}

/** What a change asked for and how it ended, as the server reports it (preset apply/remove, apply -f). */
export interface ChangeOutcome {
  /** Scenarios whose declared state the change alters: what was asked. */
  touched: readonly string[];
  /** Scenarios a gate holds back. */
  blocked: readonly { scenario: string }[];
  /** Scenarios whose call failed or did not acknowledge. */
  failed?: readonly { scenario: string }[];
}

/**
 * The exit code of a change: 1 when a scenario call failed, 3 when a gate holds back every scenario the
 * change asked for, else 0 (a partly blocked change did something; the blocked ones are listed).
 */
export function exitCodeOfChange(outcome: ChangeOutcome): ExitCode {
  if (outcome.failed?.length) return EXIT.failure;
  const blocked = new Set(outcome.blocked.map((entry) => entry.scenario));
  if (outcome.touched.length > 0 && outcome.touched.every((id) => blocked.has(id))) return EXIT.refused;
  return EXIT.ok;
}

/**
 * The outcome of `apply -f` as one change: what its MaintenanceState documents asked for and what held it
 * back. A document of another kind (Preset, Policy, Schedule) is applied whole, so such a file was not refused.
 */
export function outcomeOfApply(documents: readonly AppliedDocument[]): ChangeOutcome {
  const failed = documents.flatMap((document) => document.failed ?? []);
  if (documents.some((document) => !document.plan)) return { touched: [], blocked: [], failed };
  const plans = documents.map((document) => document.plan!);
  return { touched: [...new Set(plans.flatMap((plan) => plan.touched))], blocked: plans.flatMap((plan) => plan.blocked), failed };
}

/** Turns anything a command threw into a reported failure, or null for errors oclif reports itself (bad flags). */
export function toFailure(error: unknown): CliFailure | null {
  if (error instanceof CliFailure) return error;
  if (error instanceof UnreachableError) return new CliFailure(error.message, EXIT.failure, { error: 'Unreachable', message: error.message, url: error.url });
  if (error instanceof ApiError) return new CliFailure(describeApiError(error), exitCodeForStatus(error.status, error.body.code), error.body);
  return null;
}

/** One readable line (or a few, for manifest problems) for an API error. */
export function describeApiError(error: ApiError): string {
  const { body, status } = error;
  if (status === 401) return `unauthorized: ${body.message}`;
  if (status === 409 && body.reason) return `refused by ${body.reason}: ${body.message}`;
  return body.message;
}
