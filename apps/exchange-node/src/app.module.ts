import { personalDataControllers, personalDataProviders } from './personal-data/personal-data.providers';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CLOCK, NODE_CONFIG } from '@app/config';
import { ApiClientsRepository, GroupCommitter } from '@app/persistence';
import { AeoHttpController } from './aeo/aeo.http.controller';
import { AeoRegistryProjector } from './aeo/aeo-registry.projector';
import { AeoStatusResponder } from './aeo/aeo-status.responder';
import { AeoSyncService } from './aeo/aeo-sync.service';
import { OwnProgrammeSource } from './aeo/own-programme.source';
import { AmendmentApplier } from './amendments/amendment.applier';
import { AmendmentService } from './amendments/amendment.service';
import { AmendmentsHttpController } from './amendments/amendments.http.controller';
import { AgreementsHttpController } from './agreements/agreements.http.controller';
import { ApiClientsRegistration } from './auth/api-clients.registration';
import {
  BearerAuthGuard,
  CLIENT_LOOKUP,
  HttpExceptionFilter,
  REQUEST_BUDGET,
  TokenBuckets,
} from '@app/api-edge';
import { loadConsoleBundle } from './console/console.bundle';
import { ConsoleHttpController } from './console/console.http.controller';
import { ConsentHttpController } from './consent/consent.http.controller';
import { ConsentLedger } from './consent/consent.ledger';
import { ConsentService } from './consent/consent.service';
import { ForwardService } from './consent/forward.service';
import { HealthHttpController } from './health/health.http.controller';
import { AuditCheckpointsService } from './keys/audit-checkpoints.service';
import { KeyAnnouncementsService } from './keys/key-announcements.service';
import { KeyFilesWatcher } from './keys/key-files.watcher';
import { EdgeValidationPipe } from './http/edge-validation.pipe';
import { NodeHealthService } from './health/node-health.service';
import { MetricsHttpController } from './metrics/metrics.http.controller';
import { NodeGauges } from './metrics/node-gauges';
import { MessagesHttpController } from './messages/messages.http.controller';
import { MessagesQueryService } from './messages/messages.query.service';
import type { NodeRuntime } from './node-runtime';
import { TRAVELER_ASSESSOR, type TravelerAssessor } from './passenger-risk/assessment/traveler-assessor';
import { WatchlistMatcher } from './passenger-risk/assessment/watchlist-matcher';
import { WatchlistSource } from './passenger-risk/assessment/watchlist.source';
import { RetentionService } from './passenger-risk/retention.service';
import { RiskAssessmentResponder } from './passenger-risk/risk-assessment.responder';
import { OutboxRelay } from './outbox/outbox.relay';
import { HousekeepingService } from './outbox/housekeeping.service';
import { RedeliveryService } from './outbox/redelivery.service';
import { InboxKafkaController } from './receive-message/inbox.kafka.controller';
import { InboundJudge } from './receive-message/inbound.judge';
import { ReferenceCheck } from './receive-message/reference.check';
import { InboundHandlers } from './receive-message/inbound-handlers.registry';
import { ReceiptFactory } from './receive-message/receipt.factory';
import { ReceiptSettlement } from './receive-message/receipt.settlement';
import { RejectionLedger } from './receive-message/rejection.ledger';
import { ReceiveMessageService } from './receive-message/receive-message.service';
import { RecordCodec } from './shared/record.codec';
import { ReplicaCoordinator } from './shared/replica.coordinator';
import { repositoryProviders } from './shared/repository.providers';
import { OwnKeyDecrypter } from './receive-message/own-key.decrypter';
import {
  CATALOG,
  DB,
  GROUP_COMMIT,
  FLOW_EVENTS,
  METRICS,
  INBOX_SERVER,
  KAFKA,
  OWN_KEYS,
  PRODUCER,
  TOPIC_PROBE,
  TRUST_STORE,
  WEBHOOK_ENDPOINTS,
  API_CLIENTS,
  CONSOLE_BUNDLE,
} from './shared/tokens';
import { SubmitMessageHttpController } from './submit-message/submit-message.http.controller';
import { SubmissionPipe } from './submit-message/submission.pipe';
import { SubmitMessageService } from './submit-message/submit-message.service';
import { EventStreamService } from './events/event-stream.service';
import { EventsHttpController } from './events/events.http.controller';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher';
import { IdempotentSubmissions } from './submit-message/idempotent-submissions';
import { EvidenceHttpController } from './evidence/evidence.http.controller';
import { EvidenceService } from './evidence/evidence.service';

/** The exchange node: the same module for every administration, told apart by its runtime (config, keys, database). */
@Module({})
export class AppModule {
  static forRuntime(runtime: NodeRuntime): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        ConsoleHttpController,
        SubmitMessageHttpController,
        MessagesHttpController,
        AgreementsHttpController,
        HealthHttpController,
        MetricsHttpController,
        EventsHttpController,
        AeoHttpController,
        ConsentHttpController,
        AmendmentsHttpController,
        EvidenceHttpController,
        InboxKafkaController,
        ...personalDataControllers,
      ],
      providers: [
        { provide: NODE_CONFIG, useValue: runtime.config },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: CATALOG, useValue: runtime.catalog },
        { provide: OWN_KEYS, useValue: runtime.ownKeys },
        { provide: TRUST_STORE, useValue: runtime.trustStore },
        { provide: DB, useValue: runtime.db },
        {
          provide: GROUP_COMMIT,
          useValue: new GroupCommitter(runtime.db, {
            reportSlow: (message) => new Logger(GroupCommitter.name).error(message),
          }),
        },
        { provide: PRODUCER, useValue: runtime.producer },
        { provide: KAFKA, useValue: runtime.kafka },
        { provide: FLOW_EVENTS, useValue: runtime.flowEvents },
        { provide: METRICS, useValue: runtime.metrics },
        { provide: INBOX_SERVER, useValue: runtime.inboxServer },
        { provide: WEBHOOK_ENDPOINTS, useValue: runtime.webhookEndpoints },
        { provide: TOPIC_PROBE, useValue: runtime.topicProbe },
        { provide: API_CLIENTS, useValue: runtime.apiClients },
        { provide: CONSOLE_BUNDLE, useValue: loadConsoleBundle() },
        ...repositoryProviders,
        ...personalDataProviders(runtime.maskingSecret),
        ApiClientsRegistration,
        NodeGauges,
        {
          provide: REQUEST_BUDGET,
          useValue: requestBudget(runtime.config.http.rateLimit),
        },
        // The guard finds clients in the api_clients table (ApiClientsRegistration writes the file there).
        { provide: CLIENT_LOOKUP, useExisting: ApiClientsRepository },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_PIPE, useClass: EdgeValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        ReplicaCoordinator,
        RecordCodec,
        OutboxRelay,
        RedeliveryService,
        SubmitMessageService,
        SubmissionPipe,
        IdempotentSubmissions,
        InboundJudge,
        ReferenceCheck,
        OwnKeyDecrypter,
        ReceiveMessageService,
        ReceiptFactory,
        ReceiptSettlement,
        RejectionLedger,
        InboundHandlers,
        MessagesQueryService,
        RiskAssessmentResponder,
        RetentionService,
        HousekeepingService,
        NodeHealthService,
        KeyFilesWatcher,
        KeyAnnouncementsService,
        AuditCheckpointsService,
        WebhookDispatcher,
        EventStreamService,
        OwnProgrammeSource,
        AeoSyncService,
        AeoRegistryProjector,
        AeoStatusResponder,
        ConsentLedger,
        ConsentService,
        ForwardService,
        AmendmentService,
        AmendmentApplier,
        EvidenceService,
        {
          provide: TRAVELER_ASSESSOR,
          useFactory: (): TravelerAssessor | null => {
            if (runtime.config.assessor.kind !== 'watchlist') return null;
            const log = new Logger('Watchlist');
            return new WatchlistMatcher(
              new WatchlistSource(runtime.config.assessor.watchlistFile, (m) => log.log(m)),
            );
          },
        },
      ],
    };
  }
}

/** Token buckets per client, or none when the limit is off (perSecond 0). */
function requestBudget(limit: { perSecond: number; burst: number }): TokenBuckets | null {
  return limit.perSecond > 0 ? new TokenBuckets(limit.perSecond, limit.burst) : null;
}
