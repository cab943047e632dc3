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
import type { ApiClient } from '@app/api-edge';
import { AuditCheckpointsService } from '../keys/audit-checkpoints.service';
import { MessagesQueryService } from '../messages/messages.query.service';
import { PersonalDataReads } from '../personal-data/personal-data.reads';
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
    private readonly messages: MessagesQueryService,
    private readonly reads: PersonalDataReads,
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

  /**
   * The same reads rule as the API's: every message of the case must be within the client's scope and
   * its personal data readable by the client's roles — a bundle is whole or not made — and the read
   * is on record (with the declared purpose) like any other.
   */
  async export(
    conversationId: string,
    client: ApiClient,
    purpose: string | undefined,
  ): Promise<EvidenceExport> {
    const views = await this.messages.conversation(conversationId);
    const shown = await this.reads.many(client, purpose, 'evidence', views);
    if (shown.length < views.length || shown.some((v) => v.personalDataWithheld))
      throw new ExchangeError(
        'OUT_OF_SCOPE',
        403,
        `conversation ${conversationId} holds messages or personal data this client may not read: an evidence bundle is whole or not made`,
        { rule: shown.length < views.length ? 'scope' : 'personalData.readableBy' },
      );
    const clientId = client.id;
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
