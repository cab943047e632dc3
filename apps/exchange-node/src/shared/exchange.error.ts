import { CodedHttpError, type CodedHttpErrorDetails } from '@app/api-edge';
import { CROSS_FIELD_RULES, type FieldError, type ReasonCode } from '@app/contracts';

/**
 * An expected refusal on the node's REST edge, carrying a stable reason code (one of the
 * catalogue's) and what caused it. The shared HTTP filter maps it to a status and a body.
 */
export class ExchangeError extends CodedHttpError<ReasonCode> {
  constructor(
    code: ReasonCode,
    status: number,
    message: string,
    details: CodedHttpErrorDetails & { readonly errors?: readonly FieldError[] } = {},
  ) {
    super(code, status, message, details);
    this.name = 'ExchangeError';
  }

  /**
   * 400 SCHEMA_INVALID naming every invalid field; 422 when every field meets the schema and only
   * rules across fields (CROSS_FIELD_RULES: arrival after departure…) are broken — the request is
   * what the API document describes, and still cannot be accepted.
   */
  static invalid(errors: readonly FieldError[]): ExchangeError {
    const n = errors.length;
    const acrossFields = n > 0 && errors.every((e) => CROSS_FIELD_RULES.has(e.rule));
    return new ExchangeError(
      'SCHEMA_INVALID',
      acrossFields ? 422 : 400,
      `${n} invalid field${n === 1 ? '' : 's'}`,
      { errors, rule: errors[0]?.path },
    );
  }

  static rateLimited(retryAfterSeconds: number): ExchangeError {
    return new ExchangeError('RATE_LIMITED', 429, `too many requests: try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }

  static notFound(what: string): ExchangeError {
    return new ExchangeError('NOT_FOUND', 404, `${what} not found`);
  }
}
