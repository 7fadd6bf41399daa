/**
 * Errors the services raise, typed by what the caller should do. Services never throw HTTP exceptions;
 * the API's one exception filter maps `code` to a status, and the CLI maps the status to an exit code.
 */

/** The closed set of failure kinds. */
export type DomainErrorCode = 'NotFound' | 'Invalid' | 'Conflict' | 'Refused' | 'ConfirmationRequired' | 'Unauthorized' | 'Unavailable';

/** Base class of every service error. `details` travels to the client (a plan, a list of problems). */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** HTTP status of each kind (SPEC 6: 404 unknown ids, 400 bad input, 409 gate refusals, 428 missing confirmation). */
export const HTTP_STATUS_OF: Record<DomainErrorCode, number> = {
  NotFound: 404,
  Invalid: 400,
  Conflict: 409,
  Refused: 409,
  ConfirmationRequired: 428,
  Unauthorized: 401,
  Unavailable: 503,
};
