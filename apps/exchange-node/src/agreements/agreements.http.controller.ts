import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type AgreementsCatalog, decide, describeAgreement } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { resolveMessageType } from '@app/contracts';
import { excerpt, Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { ExchangeError } from '../shared/exchange.error';
import { CATALOG } from '../shared/tokens';
import { AgreementDto, DecisionDto, DecisionRequestDto } from './agreements.dto';

/** What this node enforces, and a dry run of the decision it would take for a message. */
@ApiTags('agreements')
@ApiBearerAuth()
@Controller('v1/agreements')
export class AgreementsHttpController {
  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('officer', 'ops', 'admin')
  @ApiOkResponse({ type: [AgreementDto] })
  @ApiRefusals(401, 403, 429)
  list(): ReturnType<typeof describeAgreement>[] {
    return this.catalog.agreements
      .filter((a) => a.parties.some((p) => p.party === this.config.party))
      .map(describeAgreement);
  }

  @Post('decisions')
  @HttpCode(200)
  @Roles('officer', 'ops', 'admin')
  @ApiOkResponse({ type: DecisionDto })
  @ApiRefusals(400, 401, 403, 413, 429)
  decide(@Body() body: DecisionRequestDto): DecisionDto {
    const type = resolveMessageType(body.type);
    if (!type)
      throw new ExchangeError('UNKNOWN_MESSAGE_TYPE', 400, `unknown message type "${excerpt(body.type)}"`, {
        rule: 'type',
      });
    const at = body.at === undefined ? this.clock.now() : new Date(body.at.toUpperCase());
    if (Number.isNaN(at.getTime()))
      throw ExchangeError.invalid([
        { path: 'at', rule: 'isDate', message: 'at is not an instant this node can read' },
      ]);
    const decision = decide(this.catalog, {
      sender: this.config.party,
      recipient: body.to,
      type,
      agreementId: body.agreement,
      purpose: body.purpose,
      at,
      inReplyTo: body.inReplyTo ?? null,
    });
    return decision.permitted
      ? { permitted: true, agreementId: decision.agreementId }
      : {
          permitted: false,
          reason: decision.reason,
          rule: decision.rule,
          detail: decision.detail,
          agreementId: decision.agreementId,
        };
  }
}
