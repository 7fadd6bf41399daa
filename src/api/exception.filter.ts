/** The one place errors become HTTP: every failure answers JSON `{statusCode, error, message, ...details}`. */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { DomainError, HTTP_STATUS_OF } from '../common/domain-error';
import { ConfigError } from '../config/config';
import { DiscoveryError } from '../discovery/discovery.error';
import { ManifestError, formatProblem } from '../presets/manifest';
import { StoreError } from '../store/store.port';

/** Maps every error to a status and a JSON body; unknown errors are 500 without internals. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message, details } = describe(exception);
    if (response.headersSent) return;
    // A route may have set its own type before failing (the YAML export's @Header): an error is JSON whatever it said.
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...details });
  }
}

function describe(exception: unknown): { status: number; message: string; details: Record<string, unknown> } {
  if (exception instanceof DomainError) return { status: HTTP_STATUS_OF[exception.code], message: exception.message, details: { code: exception.code, ...exception.details } };
  if (exception instanceof ManifestError) {
    return { status: 400, message: exception.problems.map(formatProblem).join('\n'), details: { code: 'Invalid', problems: exception.problems } };
  }
  if (exception instanceof DiscoveryError) {
    const status = exception.code === 'InvalidRegistration' || exception.code === 'HostNotAllowed' ? 400 : 503;
    return { status, message: exception.message, details: { code: exception.code } };
  }
  if (exception instanceof StoreError) {
    return { status: exception.code === 'Conflict' ? 409 : 503, message: exception.message, details: { code: exception.code } };
  }
  if (exception instanceof ConfigError) return { status: 400, message: exception.message, details: { code: 'Invalid' } };
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const raw = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
    const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
    return { status: exception.getStatus(), message, details: {} };
  }
  const bodyParser = exception as { type?: string; status?: number; message?: string };
  if (bodyParser?.type === 'entity.too.large') return { status: 413, message: `request body too large (limit ${bodyParserLimit})`, details: {} };
  if (bodyParser?.type === 'entity.parse.failed') return { status: 400, message: `invalid JSON body: ${bodyParser.message}`, details: {} };
  // The body parser's other refusals (a charset it cannot read 415, a Content-Encoding it cannot undo 415,
  // a gzip body that is not gzip 400, ...) are http-errors marked safe to show: the client's fault, said as such.
  const clientError = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof clientError?.status === 'number' && clientError.status >= 400 && clientError.status < 500 && clientError.expose === true) {
    return { status: clientError.status, message: `request body refused: ${String(clientError.message)}`, details: {} };
  }
  process.stderr.write(`unexpected error: ${(exception as Error)?.stack ?? String(exception)}\n`);
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'internal error; see the orchestrator log', details: {} };
}

/** The JSON body limit set in main.ts; said in the 413 message. */
export const bodyParserLimit = '1mb';
