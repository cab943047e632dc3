import { Body, Controller, HttpCode, Logger, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ApiClient } from '../auth/api-client';
import { CurrentClient, Roles } from '../auth/roles.decorator';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { ExchangeError } from '../shared/exchange.error';
import { type ErrorBody, errorBody } from '../shared/http-exception.filter';
import {
  MAX_SUBMIT_BATCH,
  SubmitBatchResultDto,
  SubmitMessageResultDto,
  type ValidSubmission,
} from './submit-message.dto';
import { SubmissionPipe } from './submission.pipe';
import { SubmitMessageService, type SubmitResult } from './submit-message.service';

export type SubmitBatchItemResult = { readonly index: number } & (SubmitResult | ErrorBody);

@ApiTags('messages')
@ApiBearerAuth()
@Controller('v1/messages')
export class SubmitMessageHttpController {
  private readonly logger = new Logger('Http');

  constructor(
    private readonly submitMessage: SubmitMessageService,
    private readonly submission: SubmissionPipe,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('officer')
  // The body's schema (one per message type) is set where the API document is built.
  @ApiResponse({ status: 202, type: SubmitMessageResultDto, description: 'Accepted for sending.' })
  @ApiRefusals(400, 401, 403, 404, 413, 422, 429)
  submit(
    @CurrentClient() client: ApiClient,
    @Body(SubmissionPipe) dto: ValidSubmission,
  ): Promise<SubmitResult> {
    return this.submitMessage.submit(client, dto, { payloadValidated: true });
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
          const dto = this.submission.transform(item);
          return { index, ...(await this.submitMessage.submit(client, dto, { payloadValidated: true })) };
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
