import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, throwError } from 'rxjs';
import { CodedHttpError } from './coded-http.error';
import { excerpt } from './excerpt';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  rule?: string;
  agreementId?: string;
  errors?: readonly { path: string; rule: string; message: string }[];
}

/**
 * The one place that turns errors into HTTP responses, on every HTTP edge: codes for refusals, a
 * bare 500 for faults.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    // Kafka handlers: hand the error back to the transport, which retries the record.
    if (host.getType() !== 'http') return throwError(() => exception);
    const res = host.switchToHttp().getResponse<Response>();
    const body = errorBody(exception, this.logger);
    // An event stream that already started cannot change its status; ending it is all that is left.
    if (res.headersSent) {
      res.end();
      return;
    }
    if (exception instanceof CodedHttpError && exception.details.retryAfterSeconds !== undefined)
      res.setHeader('Retry-After', String(exception.details.retryAfterSeconds));
    res.status(body.statusCode).json(body);
  }
}

/**
 * The response body for an error: its reason code and cause for a refusal, a bare INTERNAL for a
 * fault (whose stack goes to `log`, never to the caller). Also the per-item answer of a batch.
 */
export function errorBody(exception: unknown, log: Pick<Logger, 'error'>): ErrorBody {
  const body = toBody(exception);
  if (body.statusCode >= 500)
    log.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return body;
}

function toBody(exception: unknown): ErrorBody {
  if (exception instanceof CodedHttpError) {
    // instanceof cannot know the app's code type parameter: any code is a string.
    const refusal = exception as CodedHttpError;
    const { rule, agreementId, errors } = refusal.details;
    return {
      statusCode: refusal.status,
      code: refusal.code,
      message: refusal.message,
      ...(rule !== undefined && { rule }),
      ...(agreementId !== undefined && { agreementId }),
      ...(errors !== undefined && { errors }),
    };
  }
  if (exception instanceof HttpException) {
    // Nest's own refusals (an unknown route: "Cannot GET /…") quote the request: a prefix of it only.
    const status = exception.getStatus();
    return { statusCode: status, code: codeForStatus(status), message: excerpt(exception.message, 80) };
  }
  // body-parser errors (size limit, broken JSON) arrive as plain errors carrying a status.
  const status = (exception as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      status === 413
        ? 'request body exceeds the size limit'
        : status === 415
          ? 'request body has an unsupported encoding or charset'
          : 'request body is not valid JSON';
    return { statusCode: status, code: codeForStatus(status), message };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'internal error' };
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'SCHEMA_INVALID';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN_ROLE';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 413:
      return 'TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    default:
      return `HTTP_${status}`;
  }
}
