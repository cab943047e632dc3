import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type ApiClient, CurrentClient, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { IdParamDto } from '../messages/messages.query.dto';
import { MessagesQueryService } from '../messages/messages.query.service';
import { PersonalDataReads, type ReadRoute } from '../personal-data/personal-data.reads';
import { PURPOSE_HEADER, PurposeHeader, readPurpose } from '../personal-data/read-purpose';
import { ExchangeError } from '../shared/exchange.error';
import { SubmitMessageResultDto } from '../submit-message/submit-message.dto';
import type { SubmitResult } from '../submit-message/submit-message.service';
import {
  ConsentDecisionBodyDto,
  ConsentIdParamDto,
  ConsentQueryDto,
  ConsentRequestBodyDto,
  ForwardBodyDto,
} from './consent.dto';
import { ConsentView, consentView } from '../messages/message-annotations.view';
import { ConsentLedger } from './consent.ledger';
import { ConsentService } from './consent.service';
import { ForwardService } from './forward.service';

/** The provider's say over further use: ask, decide, see the ledger, and forward once consent is granted. */
@ApiTags('consent')
@ApiBearerAuth()
@Controller('v1')
export class ConsentHttpController {
  constructor(
    private readonly consent: ConsentService,
    private readonly forwarding: ForwardService,
    private readonly ledger: ConsentLedger,
    private readonly messages: MessagesQueryService,
    private readonly reads: PersonalDataReads,
  ) {}

  /**
   * Asking about a message, or passing it on, reads it: the same scope, `readableBy` and purpose rules
   * as `GET /v1/messages/:id`, and the same record in the access log.
   */
  private async readFor(client: ApiClient, id: string, purpose: unknown, route: ReadRoute): Promise<void> {
    const view = await this.reads.one(client, readPurpose(purpose), await this.messages.message(id), route);
    if (view.personalDataWithheld)
      throw new ExchangeError('OUT_OF_SCOPE', 403, 'this client may not read the message it would pass on', {
        rule: 'personalData.readableBy',
        agreementId: view.agreement,
      });
  }

  /** Asks the provider of a received message for consent to pass it on, or to use it otherwise. */
  @Post('messages/:id/consent-requests')
  @HttpCode(202)
  @Roles('officer')
  @ApiResponse({ status: 202, type: SubmitMessageResultDto, description: 'The ConsentRequest, queued.' })
  @PurposeHeader()
  @ApiRefusals(400, 401, 403, 404, 409, 422, 429)
  async request(
    @CurrentClient() client: ApiClient,
    @Param() params: IdParamDto,
    @Body() body: ConsentRequestBodyDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ): Promise<SubmitResult> {
    await this.readFor(client, params.id, purpose, 'consent');
    return this.consent.request(client, params.id, body);
  }

  /** This node's consent ledger: `side=received&status=pending` is the provider's work list. */
  @Get('consent-requests')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: [ConsentView] })
  @ApiRefusals(400, 401, 403, 429)
  async list(@Query() query: ConsentQueryDto): Promise<ConsentView[]> {
    const entries = await this.ledger.list({
      side: query.side,
      status: query.status,
      limit: query.limit ?? 100,
    });
    return entries.map(consentView);
  }

  @Get('consent-requests/:id')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: ConsentView })
  @ApiRefusals(400, 401, 403, 404, 429)
  async one(@Param() params: ConsentIdParamDto): Promise<ConsentView> {
    const entry = await this.ledger.find(params.id);
    if (!entry) throw ExchangeError.notFound(`consent request ${params.id}`);
    return consentView(entry);
  }

  /** The provider's officer grants (with conditions) or refuses (with a reason) a pending request. */
  @Post('consent-requests/:id/decision')
  @HttpCode(202)
  @Roles('officer')
  @ApiResponse({ status: 202, type: SubmitMessageResultDto, description: 'The ConsentDecision, queued.' })
  @ApiRefusals(400, 401, 403, 404, 409, 422, 429)
  decide(
    @CurrentClient() client: ApiClient,
    @Param() params: ConsentIdParamDto,
    @Body() body: ConsentDecisionBodyDto,
  ): Promise<SubmitResult> {
    return this.consent.decide(client, params.id, body);
  }

  /** Passes a received message on as spontaneous information: CONSENT_REQUIRED until the provider granted it. */
  @Post('messages/:id/forward')
  @HttpCode(202)
  @Roles('officer')
  @ApiResponse({ status: 202, type: SubmitMessageResultDto, description: 'The onward message, queued.' })
  @PurposeHeader()
  @ApiRefusals(400, 401, 403, 404, 409, 429)
  async forward(
    @CurrentClient() client: ApiClient,
    @Param() params: IdParamDto,
    @Body() body: ForwardBodyDto,
    @Headers(PURPOSE_HEADER) purpose: unknown,
  ): Promise<SubmitResult> {
    await this.readFor(client, params.id, purpose, 'forward');
    return this.forwarding.forward(client, params.id, body);
  }
}
