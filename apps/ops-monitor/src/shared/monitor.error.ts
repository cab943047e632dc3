import { CodedHttpError } from '@app/api-edge';

export type MonitorErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN_ROLE' | 'SCHEMA_INVALID' | 'NOT_FOUND';

/** An expected refusal on the monitor's HTTP edge, with a stable code; the shared HTTP filter maps it to a response. */
export class MonitorError extends CodedHttpError<MonitorErrorCode> {
  constructor(code: MonitorErrorCode, status: number, message: string) {
    super(code, status, message);
    this.name = 'MonitorError';
  }
}
