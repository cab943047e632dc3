import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, IsUUID } from 'class-validator';
import { type AgreementsCatalog, decide, describeAgreement } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import { resolveMessageType } from '@app/contracts';
import { Roles } from '../auth/roles.decorator';
import { ExchangeError } from '../shared/exchange.error';
import { CATALOG } from '../shared/tokens';

export class DecisionRequestDto {
  @ApiProperty({ example: 'us-cbp' }) @IsString() to!: string;
  @ApiProperty({ example: 'AssistanceRequest' }) @IsString() type!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() agreement?: string;
  @ApiProperty({ example: 'trafficking' }) @IsString() purpose!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() inReplyTo?: string;
  @ApiPropertyOptional({ description: 'Evaluate at this instant instead of now (ISO 8601).' })
  @IsOptional()
  @IsDateString()
  at?: string;
}

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
  list(): unknown[] {
    return this.catalog.agreements
      .filter((a) => a.parties.some((p) => p.party === this.config.party))
      .map(describeAgreement);
  }

  @Post('decisions')
  @HttpCode(200)
  @Roles('officer', 'ops', 'admin')
  decide(@Body() body: DecisionRequestDto): unknown {
    const type = resolveMessageType(body.type);
    if (!type)
      throw new ExchangeError('UNKNOWN_MESSAGE_TYPE', 400, `unknown message type "${body.type}"`, {
        rule: 'type',
      });
    const decision = decide(this.catalog, {
      sender: this.config.party,
      recipient: body.to,
      type,
      agreementId: body.agreement,
      purpose: body.purpose,
      at: body.at ? new Date(body.at) : this.clock.now(),
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
