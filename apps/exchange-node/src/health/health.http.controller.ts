import { Controller, Get, Inject, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AgreementsCatalog } from '@app/agreements';
import { NODE_CONFIG, type NodeConfig } from '@app/config';
import type { KafkaInboxServer, RecordProducer } from '@app/messaging';
import { type Db, OutboxRepository } from '@app/persistence';
import type { TrustStore } from '@app/signing';
import { Public } from '../auth/roles.decorator';
import { ApiRefusals } from '../http/api-refusals.decorator';
import { CATALOG, DB, INBOX_SERVER, PRODUCER, TRUST_STORE } from '../shared/tokens';

class CheckDto {
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() detail?: string;
}
type Check = CheckDto;

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
  checks!: Record<string, Check>;
}

/** A Kafka check, with why it fails in an operator's words (`kafka: authentication failed for …`). */
const kafkaCheck = (ok: boolean, problem: string | undefined): Check =>
  ok ? { ok } : { ok, ...(problem ? { detail: `kafka: ${problem}` } : {}) };

/** Liveness and readiness: database, Kafka (producer + inbox consumer), keys, agreements. 503 when not ready. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthHttpController {
  private readonly outbox: OutboxRepository;
  private readonly logger = new Logger('Health');

  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    @Inject(DB) private readonly db: Db,
    @Inject(PRODUCER) private readonly producer: RecordProducer,
    @Inject(INBOX_SERVER) private readonly inbox: KafkaInboxServer,
    @Inject(TRUST_STORE) private readonly trustStore: TrustStore,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
  ) {
    this.outbox = new OutboxRepository(db);
  }

  @Get()
  @ApiOkResponse({ type: HealthDto, description: 'Ready.' })
  @ApiResponse({ status: 503, type: HealthDto, description: 'Not ready: the failing checks say which.' })
  @ApiRefusals(429)
  async health(@Res({ passthrough: true }) res: Response) {
    const checks: Record<string, Check> = {
      database: await this.database(),
      kafkaProducer: kafkaCheck(this.producer.isConnected, this.producer.problem),
      inboxConsumer: this.inboxCheck(),
      trustStore: {
        ok: this.trustStore.parties().length > 0,
        detail: `${this.trustStore.parties().length} parties`,
      },
      agreements: {
        ok: this.catalog.agreements.length > 0,
        detail: `${this.catalog.agreements.length} agreements`,
      },
    };
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503);
    const outboxBacklog = checks.database?.ok ? await this.outbox.backlog() : undefined;
    return {
      status: ready ? 'ready' : 'not-ready',
      party: this.config.party,
      database: this.db.kind,
      outboxBacklog,
      checks,
    };
  }

  /** Not ok when the consumer is not running, or a partition with lag has not moved for the stall limit. */
  private inboxCheck(): Check {
    if (!this.inbox.isRunning) return kafkaCheck(false, this.inbox.problem);
    const stalls = this.inbox.stalls;
    if (stalls.length === 0) return { ok: true };
    const where = stalls
      .map((s) => `partition ${s.partition} at offset ${s.offset} (lag ${s.lag})`)
      .join(', ');
    return { ok: false, detail: `stalled: ${where}` };
  }

  private async database(): Promise<Check> {
    try {
      await this.db.ping();
      return { ok: true };
    } catch (error) {
      // The cause is the operator's, in the log; anyone may read /health.
      this.logger.warn(`database check failed: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, detail: 'unreachable' };
    }
  }
}
