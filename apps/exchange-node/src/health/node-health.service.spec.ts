import type { Response } from 'express';
import type { AgreementsCatalog } from '@app/agreements';
import type { NodeConfig } from '@app/config';
import type { KafkaInboxServer, RecordProducer } from '@app/messaging';
import { type Db, OutboxRepository } from '@app/persistence';
import type { TrustStore } from '@app/signing';
import type { WebhookDispatcher } from '../webhooks/webhook.dispatcher';
import { HealthHttpController } from './health.http.controller';
import { NodeHealthService } from './node-health.service';

describe('NodeHealthService and GET /health', () => {
  it('says the database is unreachable without the database’s own words, which go to the log', async () => {
    const secret = 'password authentication failed for user "puente" at 10.0.0.7:5432';
    const db = { kind: 'postgres', ping: () => Promise.reject(new Error(secret)) } as unknown as Db;
    const service = new NodeHealthService(
      { party: 'us-cbp' } as NodeConfig,
      db,
      { isConnected: true } as RecordProducer,
      { isRunning: true, stalls: [] } as unknown as KafkaInboxServer,
      { parties: () => ['us-cbp'] } as unknown as TrustStore,
      { agreements: [{}] } as unknown as AgreementsCatalog,
      new OutboxRepository(db),
      {
        status: () => Promise.reject(new Error('not asked while the database is away')),
      } as unknown as WebhookDispatcher,
    );
    const warnings: string[] = [];
    (service as unknown as { logger: { warn(m: string): void } }).logger = {
      warn: (m) => warnings.push(m),
    };
    let status = 0;
    const res = { status: (s: number) => (status = s) } as unknown as Response;
    const body = await new HealthHttpController(service).health(res);
    expect(status).toBe(503);
    expect(body.status).toBe('not-ready');
    expect(body.checks.database).toEqual({ ok: false, detail: 'unreachable' });
    expect(body.outboxBacklog).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('password');
    expect(warnings.join('\n')).toContain(secret);
  });
});
