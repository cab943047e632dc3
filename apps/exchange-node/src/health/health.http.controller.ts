import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/api-edge';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { type NodeHealth, NodeHealthService } from './node-health.service';

class CheckDto {
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() detail?: string;
}

class HealthDto {
  @ApiProperty({ enum: ['ready', 'not-ready'] }) status!: string;
  @ApiProperty() party!: string;
  @ApiProperty({ enum: ['pglite', 'postgres'] }) database!: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Outbox rows not yet published.' })
  outboxBacklog?: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { ok: { type: 'boolean' }, detail: { type: 'string' } },
      required: ['ok'],
    },
    description: 'database, kafkaProducer, inboxConsumer, trustStore, agreements',
  })
  checks!: Record<string, CheckDto>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: {
        pending: { type: 'integer', description: 'Events not yet delivered.' },
        deadLetters: { type: 'integer', description: 'Events given up after PUENTE_WEBHOOK_MAX_ATTEMPTS.' },
        failedAttempts: {
          type: 'integer',
          description: 'Attempts at the event being retried (0: not failing).',
        },
        lastError: {
          type: 'string',
          description: 'The last failure in the node’s words (HTTP 500, timeout).',
        },
      },
      required: ['pending', 'deadLetters', 'failedAttempts'],
    },
    description: 'Per webhook endpoint, when any is configured; not part of readiness.',
  })
  webhooks?: Record<string, unknown>;
}

/** Liveness and readiness: 200 when ready, 503 when not, with every check either way. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthHttpController {
  constructor(private readonly nodeHealth: NodeHealthService) {}

  @Get()
  @ApiOkResponse({ type: HealthDto, description: 'Ready.' })
  @ApiResponse({ status: 503, type: HealthDto, description: 'Not ready: the failing checks say which.' })
  @ApiRefusals(429)
  async health(@Res({ passthrough: true }) res: Response): Promise<NodeHealth> {
    const health = await this.nodeHealth.read();
    res.status(health.status === 'ready' ? 200 : 503);
    return health;
  }
}
