import type { Provider } from '@nestjs/common';
import {
  AccessLogRepository,
  AeoRegistryRepository,
  AmendmentsRepository,
  AgreementVersionsRepository,
  ApiClientsRepository,
  AuditCheckpointsRepository,
  AuditLogRepository,
  ConsentLedgerRepository,
  type Db,
  IdempotencyKeysRepository,
  InboundRejectionsRepository,
  InboxRepository,
  LeasesRepository,
  MaskingRepository,
  NodeEventsRepository,
  OutboundMessagesRepository,
  OutboxRepository,
  ReceiptsRepository,
  TrustEventsRepository,
  TravelerSightingsRepository,
  UnmaskRequestsRepository,
  WebhookCursorsRepository,
} from '@app/persistence';
import { DB } from './tokens';

/** Every repository the node's services use; each is injected by its class. */
const REPOSITORIES = [
  AccessLogRepository,
  AeoRegistryRepository,
  AmendmentsRepository,
  AgreementVersionsRepository,
  ApiClientsRepository,
  AuditCheckpointsRepository,
  AuditLogRepository,
  ConsentLedgerRepository,
  IdempotencyKeysRepository,
  InboundRejectionsRepository,
  InboxRepository,
  LeasesRepository,
  MaskingRepository,
  NodeEventsRepository,
  OutboundMessagesRepository,
  OutboxRepository,
  ReceiptsRepository,
  TrustEventsRepository,
  TravelerSightingsRepository,
  UnmaskRequestsRepository,
  WebhookCursorsRepository,
] as const;

/**
 * One instance of each repository over the node's one database. The repositories stay free of Nest
 * (tools and the retention job use them directly); this is where the node makes them providers.
 */
export const repositoryProviders: Provider[] = REPOSITORIES.map((Repository) => ({
  provide: Repository,
  useFactory: (db: Db) => new Repository(db),
  inject: [DB],
}));
