import { Body, Controller, Headers, HttpCode, Logger, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type ApiClient, CurrentClient, type ErrorBody, errorBody, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { ExchangeError } from '../shared/exchange.error';
import {
  MAX_SUBMIT_BATCH,
  SubmitBatchResultDto,
  SubmitMessageResultDto,
  type ValidSubmission,
} from './submit-message.dto';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MAX, readIdempotencyKey } from './idempotency-key';
import { IdempotentSubmissions } from './idempotent-submissions';
import { SubmissionPipe } from './submission.pipe';
import type { SubmitResult } from './submit-message.service';

export type SubmitBatchItemResult = { readonly index: number } & (SubmitResult | ErrorBody);

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/messages')
export class SubmitMessageHttpController {
  private readonly logger = new Logger('Http');

  constructor(
    private readonly submissions: IdempotentSubmissions,
    private readonly submission: SubmissionPipe,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('officer')
  // The body's schema (one per message type) is set where the API document is built.
  @ApiResponse({ status: 202, type: SubmitMessageResultDto, description: 'Accepted for sending.' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retry safe: the same key with the same body gets the first answer (same id), with another body 409 IDEMPOTENCY_KEY_REUSED.',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source, maxLength: IDEMPOTENCY_KEY_MAX },
  })
  @ApiRefusals(400, 401, 403, 404, 409, 413, 422, 429)
  submit(
    @CurrentClient() client: ApiClient,
    @Body(SubmissionPipe) dto: ValidSubmission,
    @Headers('idempotency-key') idempotencyKey: unknown,
  ): Promise<SubmitResult> {
    return this.submissions.submit(client, dto, readIdempotencyKey(idempotencyKey, 'Idempotency-Key'));
  }

  /**
   * Many submissions in one request, each validated, authorised and stored exactly as if it came
   * alone: the answer lists, in order, each one's id or the refusal it would have had by itself
   * (status, reason code, rule, fields). One refused submission does not hold back the others.
   */
  @Post('batch')
  @HttpCode(200)
  @Roles('officer')
  @ApiResponse({
    status: 200,
    type: SubmitBatchResultDto,
    description: `Each submission accepted or refused; a 400 only when the body is not {"messages": [1 to ${MAX_SUBMIT_BATCH} submissions]}.`,
  })
  @ApiRefusals(400, 401, 403, 413, 429)
  async submitBatch(
    @CurrentClient() client: ApiClient,
    @Body() body: unknown,
  ): Promise<{ accepted: number; refused: number; results: SubmitBatchItemResult[] }> {
    const results = await Promise.all(
      batchItems(body).map(async (item, index): Promise<SubmitBatchItemResult> => {
        try {
          // The key is the batch item's, not the submission's: taken off before the submission is validated.
          const { idempotencyKey, ...submission } = item as Record<string, unknown>;
          const key = readIdempotencyKey(idempotencyKey, `messages[${index}].idempotencyKey`);
          const dto = this.submission.transformItem(submission);
          return { index, ...(await this.submissions.submit(client, dto, key)) };
        } catch (error) {
          return { index, ...errorBody(error, this.logger) };
        }
      }),
    );
    const accepted = results.filter((r) => 'id' in r).length;
    return { accepted, refused: results.length - accepted, results };
  }
}

/** The submissions of a batch body, or a 400 naming what is wrong with its shape. */
function batchItems(body: unknown): unknown[] {
  const refuse = (path: string, rule: string, message: string) =>
    ExchangeError.invalid([{ path, rule, message }]);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw refuse('', 'isObject', 'the request body must be a JSON object');
  const extra = Object.keys(body).find((k) => k !== 'messages');
  if (extra !== undefined) throw refuse(extra, 'whitelistValidation', `property ${extra} should not exist`);
  const { messages } = body as { messages?: unknown };
  if (!Array.isArray(messages)) throw refuse('messages', 'isArray', 'messages must be a list of submissions');
  if (messages.length < 1 || messages.length > MAX_SUBMIT_BATCH)
    throw refuse(
      'messages',
      'arrayLength',
      `messages must hold 1 to ${MAX_SUBMIT_BATCH} submissions (got ${messages.length})`,
    );
  const notObject = messages.findIndex((m) => typeof m !== 'object' || m === null || Array.isArray(m));
  if (notObject >= 0)
    throw refuse(`messages[${notObject}]`, 'isObject', 'every submission must be a JSON object');
  return messages;
}
