import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

const MEANING: Readonly<Record<number, string>> = {
  400: 'Invalid input: every bad field by path (SCHEMA_INVALID), or an unknown type or party.',
  401: 'No valid bearer token (UNAUTHENTICATED).',
  403: 'The client has no role for this route (FORBIDDEN_ROLE), or no agreement permits it (its reason code).',
  404: 'Not found here (NOT_FOUND, UNKNOWN_CONVERSATION).',
  409: 'The Idempotency-Key was used for a different submission (IDEMPOTENCY_KEY_REUSED).',
  413: 'The request body is over the size limit (TOO_LARGE).',
  422: 'Every field meets its schema, but a rule across fields is broken (SCHEMA_INVALID): a flight arriving before it departs, a travel document expired at departure.',
  429: 'The client spent its request budget (RATE_LIMITED); see Retry-After.',
  503: 'Not ready.',
};

/** Documents the refusals a route can answer with, each with the one error body of this API. */
export function ApiRefusals(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        type: ErrorBodyDto,
        description: MEANING[status] ?? 'Refused.',
        ...(status === 429 && {
          headers: {
            'Retry-After': {
              description: 'Whole seconds before the client may try again.',
              schema: { type: 'integer', minimum: 1 },
            },
          },
        }),
      }),
    ),
  );
}
