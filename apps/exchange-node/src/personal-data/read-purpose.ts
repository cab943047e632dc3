import { ApiHeader } from '@nestjs/swagger';
import { ExchangeError } from '../shared/exchange.error';

export const PURPOSE_HEADER = 'x-puente-purpose';

/**
 * A declared purpose is a code (`border-security`, `case-review`), never free text: free text would
 * put whatever an officer typed — a traveler's name, say — into the audit log.
 */
export const READ_PURPOSE = /^[a-z][a-z0-9-]{1,63}$/;

/** The header in the API document, for every route that may answer personal data. */
export const PurposeHeader = (): MethodDecorator =>
  ApiHeader({
    name: 'X-Puente-Purpose',
    required: false,
    description:
      'Why the client reads: a purpose code. Required (PURPOSE_REQUIRED) when the answer holds personal data; recorded in the access log.',
    schema: { type: 'string', pattern: READ_PURPOSE.source },
  });

/** The header's value when valid, undefined when absent; a malformed one is refused whether needed or not. */
export function readPurpose(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !READ_PURPOSE.test(header))
    throw new ExchangeError(
      'PURPOSE_INVALID',
      400,
      'X-Puente-Purpose must be one purpose code: lower-case letters, digits and -, 2 to 64 characters',
      { rule: 'X-Puente-Purpose' },
    );
  return header;
}

export function purposeRequired(): ExchangeError {
  return new ExchangeError(
    'PURPOSE_REQUIRED',
    400,
    'reading personal data needs the purpose of the read in the X-Puente-Purpose header',
    { rule: 'X-Puente-Purpose' },
  );
}
