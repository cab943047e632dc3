import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type AeoHistoryEntry, type AeoOperatorRecord, AeoRegistryRepository } from '@app/persistence';
import { Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { ExchangeError } from '../shared/exchange.error';
import {
  AeoOperatorDetailView,
  AeoOperatorIdParamDto,
  AeoOperatorsPageView,
  AeoOperatorsQueryDto,
  AeoOperatorView,
  AeoSyncView,
} from './aeo.dto';
import { AeoSyncService } from './aeo-sync.service';
import { OwnProgrammeError, OwnProgrammeSource } from './own-programme.source';

/** Partner programmes' operators as this node holds them, and the sync of its own programme. */
@ApiTags('aeo')
@ApiBearerAuth()
@Controller('v1/aeo')
export class AeoHttpController {
  constructor(
    private readonly registry: AeoRegistryRepository,
    private readonly sync: AeoSyncService,
    private readonly source: OwnProgrammeSource,
  ) {}

  @Get('operators')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: AeoOperatorsPageView })
  @ApiRefusals(400, 401, 403, 429)
  async operators(@Query() query: AeoOperatorsQueryDto): Promise<AeoOperatorsPageView> {
    const limit = query.limit ?? 100;
    const [provider = '', programme = '', ...rest] = query.after?.split(':') ?? [];
    const rows = await this.registry.list({
      provider: query.provider,
      status: query.status,
      after: query.after ? [provider, programme, rest.join(':')] : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      operators: page.map(operatorView),
      ...(rows.length > limit && last
        ? { next: `${last.provider}:${last.programme}:${last.operatorId}` }
        : {}),
    };
  }

  @Get('operators/:id')
  @Roles('officer', 'admin')
  @ApiOkResponse({ type: AeoOperatorDetailView })
  @ApiRefusals(400, 401, 403, 404, 429)
  async operator(@Param() params: AeoOperatorIdParamDto): Promise<AeoOperatorDetailView> {
    const found = await this.registry.find(params.id);
    if (found.current.length === 0 && found.history.length === 0)
      throw new ExchangeError(
        'NOT_FOUND',
        404,
        'no partner programme has shared this operator with this node',
        {
          rule: 'id',
        },
      );
    return {
      operatorId: params.id,
      current: found.current.map(operatorView),
      history: found.history.map(historyView),
    };
  }

  /** Sends this administration's programme to every partner now (also `npm run aeo:sync`). */
  @Post('sync')
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: AeoSyncView })
  @ApiRefusals(401, 403, 409, 429)
  async syncNow(): Promise<AeoSyncView> {
    if (!this.source.configured)
      throw new ExchangeError(
        'AEO_PROGRAMME_NOT_CONFIGURED',
        409,
        'this node has no AEO programme file (PUENTE_AEO_OPERATORS_FILE)',
        { rule: 'PUENTE_AEO_OPERATORS_FILE' },
      );
    try {
      return { partners: (await this.sync.syncNow()).map((r) => ({ ...r, messageIds: [...r.messageIds] })) };
    } catch (error) {
      if (error instanceof OwnProgrammeError)
        throw new ExchangeError('AEO_PROGRAMME_INVALID', 409, error.message, {
          rule: 'PUENTE_AEO_OPERATORS_FILE',
        });
      throw error;
    }
  }
}

function operatorView(r: AeoOperatorRecord): AeoOperatorView {
  return {
    provider: r.provider,
    programme: r.programme,
    operatorId: r.operatorId,
    name: r.name,
    address: r.address as unknown as AeoOperatorView['address'],
    country: r.country,
    status: r.status,
    statusDate: r.statusDate,
    validationDate: r.validationDate,
    syncSequence: r.syncSequence,
    messageId: r.messageId,
    updatedAt: r.updatedAt.toISOString(),
  };
}

function historyView(h: AeoHistoryEntry) {
  return {
    provider: h.provider,
    programme: h.programme,
    status: h.status,
    ...(h.statusDate ? { statusDate: h.statusDate } : {}),
    ...(h.validationDate ? { validationDate: h.validationDate } : {}),
    syncSequence: h.syncSequence,
    messageId: h.messageId,
    receivedAt: h.receivedAt.toISOString(),
  };
}
