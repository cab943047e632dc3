import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AccessLogRepository } from '@app/persistence';
import { Roles } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { AccessLogQueryDto } from './access-log.query.dto';

export class AccessLogEntryView {
  @ApiProperty({ description: 'The entry’s sequence number in the audit chain' }) seq!: number;
  @ApiProperty() at!: string;
  @ApiProperty({
    enum: ['message.read', 'message.unmask-requested', 'message.unmask-approved', 'message.unmasked-read'],
  })
  kind!: string;
  @ApiPropertyOptional() messageId?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'client, purpose, route, conversation, agreement, withheld, masked — never personal data',
  })
  detail!: Record<string, unknown>;
}

export class AccessLogPage {
  @ApiProperty({ type: [AccessLogEntryView] }) entries!: AccessLogEntryView[];
  @ApiPropertyOptional({ description: 'Pass as `after` for the next page; absent on the last page' })
  next?: number;
}

/** Who saw this traveler's record, when and why: for the data protection officer only. */
@ApiTags('personal data')
@ApiBearerAuth()
@Controller('v1/access-log')
export class AccessLogHttpController {
  constructor(private readonly log: AccessLogRepository) {}

  @Get()
  @Roles('dpo')
  @ApiOkResponse({ type: AccessLogPage })
  @ApiRefusals(400, 401, 403, 429)
  async list(@Query() q: AccessLogQueryDto): Promise<AccessLogPage> {
    const limit = q.limit ?? 100;
    const rows = await this.log.list({
      messageId: q.message,
      conversationId: q.conversation,
      clientId: q.client,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      after: q.after,
      limit,
    });
    const entries = rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      kind: r.kind,
      messageId: r.messageId ?? undefined,
      detail: { ...r.detail },
    }));
    const last = entries[entries.length - 1];
    return { entries, next: entries.length === limit && last ? last.seq : undefined };
  }
}
