import type { Provider } from '@nestjs/common';
import {
  AeoRegistryRepository,
  ApiClientsRepository,
  AuditLogRepository,
  type Db,
  InboundRejectionsRepository,
  InboxRepository,
  OutboundMessagesRepository,
  OutboxRepository,
  ReceiptsRepository,
} from '@app/persistence';
import { DB } from './tokens';

/** Every repository the node's services use; each is injected by its class. */
const REPOSITORIES = [
  AeoRegistryRepository,
  ApiClientsRepository,
  AuditLogRepository,
  InboundRejectionsRepository,
  InboxRepository,
  OutboundMessagesRepository,
  OutboxRepository,
  ReceiptsRepository,
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
