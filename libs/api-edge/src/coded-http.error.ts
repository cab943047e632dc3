/** A refusal's extra facts, each one a field of the error body (or, for 429, the Retry-After header). */
export interface CodedHttpErrorDetails {
  readonly rule?: string;
  readonly errors?: readonly { readonly path: string; readonly rule: string; readonly message: string }[];
  readonly agreementId?: string;
  /** 429: whole seconds before the client may try again (the `Retry-After` header, not the body). */
  readonly retryAfterSeconds?: number;
}

/**
 * An expected refusal on an HTTP edge, carrying a stable code and what caused it. HttpExceptionFilter
 * maps it to a status and a body; nothing else catches it. Each app narrows the code to its own list.
 */
export class CodedHttpError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    readonly status: number,
    message: string,
    readonly details: CodedHttpErrorDetails = {},
  ) {
    super(message);
    this.name = 'CodedHttpError';
  }
}
