import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AgreementsCatalog } from '@app/agreements';
import { CLOCK, type Clock, NODE_CONFIG, type NodeConfig } from '@app/config';
import {
  AgreementVersionsRepository,
  AuditCheckpointsRepository,
  AuditLogRepository,
  type Db,
  InboxRepository,
  OutboundMessagesRepository,
  ReceiptsRepository,
} from '@app/persistence';
import type { OwnKeys, TrustStore } from '@app/signing';
import { AuditCheckpointsService } from '../keys/audit-checkpoints.service';
import { ExchangeError } from '../shared/exchange.error';
import { CATALOG, DB, OWN_KEYS, TRUST_STORE } from '../shared/tokens';
import { ConversationNotFoundError, EvidenceCollector, type EvidenceExport } from './evidence.collector';

/** The node's side of evidence: it records the agreement texts it runs with, and exports conversations. */
@Injectable()
export class EvidenceService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Evidence');
  private readonly collector: EvidenceCollector;

  constructor(
    @Inject(NODE_CONFIG) config: NodeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(DB) db: Db,
    @Inject(TRUST_STORE) trust: TrustStore,
    @Inject(OWN_KEYS) own: OwnKeys,
    private readonly agreementVersions: AgreementVersionsRepository,
    private readonly anchors: AuditCheckpointsService,
    sent: OutboundMessagesRepository,
    received: InboxRepository,
    receipts: ReceiptsRepository,
    audit: AuditLogRepository,
    checkpoints: AuditCheckpointsRepository,
  ) {
    this.collector = new EvidenceCollector({
      party: config.party,
      db,
      sent,
      received,
      receipts,
      audit,
      checkpoints,
      agreementVersions,
      trust,
      own,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const added = await EvidenceCollector.recordAgreements(
      this.agreementVersions,
      this.catalog,
      this.clock.now(),
    );
    if (added > 0)
      this.logger.log(
        `recorded ${added} agreement text(s) not seen before (evidence: the version in force from now)`,
      );
  }

  async export(conversationId: string, clientId: string): Promise<EvidenceExport> {
    try {
      const exported = await this.collector.export(conversationId, clientId, this.clock.now(), () =>
        this.anchors.tick(true),
      );
      this.logger.log(
        `conversation ${conversationId} exported as evidence for client ${clientId}: ${exported.messages} messages, ${exported.receipts} receipts, audit ${exported.auditFrom}–${exported.auditTo}`,
      );
      return exported;
    } catch (error) {
      if (error instanceof ConversationNotFoundError)
        throw ExchangeError.notFound(`conversation ${conversationId}`);
      throw error;
    }
  }
}
