export type MonitorErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN_ROLE' | 'SCHEMA_INVALID' | 'NOT_FOUND';

/** An expected refusal on the monitor's HTTP edge, with a stable code; the HTTP filter maps it to a response. */
export class MonitorError extends Error {
  constructor(
    readonly code: MonitorErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'MonitorError';
  }
}
