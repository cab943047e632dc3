import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { MonitorError } from './monitor.error';

interface ErrorBody {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}

/** The one place that turns errors into HTTP responses: codes for refusals, a bare 500 for faults. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toBody(exception);
    if (body.statusCode >= 500)
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    // An event stream that already started cannot change its status; ending it is all that is left.
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(body.statusCode).json(body);
  }
}

function toBody(exception: unknown): ErrorBody {
  if (exception instanceof MonitorError)
    return { statusCode: exception.status, code: exception.code, message: exception.message };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return {
      statusCode: status,
      code: status === 404 ? 'NOT_FOUND' : `HTTP_${status}`,
      message: exception.message,
    };
  }
  return { statusCode: 500, code: 'INTERNAL', message: 'internal error' };
}
