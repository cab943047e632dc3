import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AgreementsCatalog } from '@app/agreements';
import { MessageType, resolveMessageType } from '@app/contracts';
import type { ManifestConsent } from '@app/evidence';
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
import { ConsentLedger } from '../consent/consent.ledger';
import { AuditCheckpointsService } from '../keys/audit-checkpoints.service';
import type { MessageView } from '../messages/message.view';
import { MessagesQueryService } from '../messages/messages.query.service';
import { consentRequired, PersonalDataReads } from '../personal-data/personal-data.reads';
import { ExchangeError } from '../shared/exchange.error';
import { CATALOG, DB, OWN_KEYS, TRUST_STORE } from '../shared/tokens';
import {
  ConversationNotFoundError,
  EvidenceCollector,
  type EvidenceExport,
  type ThirdPartyExport,
} from './evidence.collector';

/** The consent family is the provider's own word about further use: passing it on needs no consent. */
const CONSENT_FAMILY: ReadonlySet<string> = new Set([
  MessageType.ConsentRequest,
  MessageType.ConsentDecision,
]);

/** The node's side of evidence: it records the agreement texts it runs with, and exports conversations. */
@Injectable()
export class EvidenceService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Evidence');
  private readonly collector: EvidenceCollector;
  private readonly party: string;

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
    private readonly consent: ConsentLedger,
    sent: OutboundMessagesRepository,
    received: InboxRepository,
    receipts: ReceiptsRepository,
    audit: AuditLogRepository,
    checkpoints: AuditCheckpointsRepository,
  ) {
    this.party = config.party;
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
    exportFor?: string,
  ): Promise<EvidenceExport> {
    const views = await this.messages.conversation(conversationId);
    const shown = await this.reads.many(client, purpose, 'evidence', views);
    const withheld = shown.find((v) => v.personalDataWithheld);
    if (withheld?.withheldBy === 'purpose') throw consentRequired(withheld, purpose ?? '');
    if (shown.length < views.length || withheld)
      throw new ExchangeError(
        'OUT_OF_SCOPE',
        403,
        `conversation ${conversationId} holds messages or personal data this client may not read: an evidence bundle is whole or not made`,
        { rule: shown.length < views.length ? 'scope' : 'personalData.readableBy' },
      );
    const thirdParty =
      exportFor && exportFor !== this.party ? await this.consentsFor(views, exportFor) : undefined;
    const clientId = client.id;
    try {
      const exported = await this.collector.export(
        conversationId,
        clientId,
        this.clock.now(),
        () => this.anchors.tick(true),
        thirdParty,
      );
      this.logger.log(
        `conversation ${conversationId} exported as evidence${thirdParty ? ` for ${thirdParty.exportedFor} (${thirdParty.consents.length} consent(s))` : ''} by client ${clientId}: ${exported.messages} messages, ${exported.receipts} receipts, audit ${exported.auditFrom}–${exported.auditTo}`,
      );
      return exported;
    } catch (error) {
      if (error instanceof ConversationNotFoundError)
        throw ExchangeError.notFound(`conversation ${conversationId}`);
      throw error;
    }
  }

  /**
   * Passing a case to a third party is a further use of what other parties provided: every message
   * received from a provider other than that third party needs the provider's grant for it (the
   * agreement's `onwardTransfer`), and where the agreement prohibits onward transfer none can be had.
   */
  private async consentsFor(views: readonly MessageView[], exportFor: string): Promise<ThirdPartyExport> {
    const provided: MessageView[] = [];
    for (const v of views) {
      const type = resolveMessageType(v.type);
      if (v.direction !== 'inbound' || v.from === exportFor || (type && CONSENT_FAMILY.has(type))) continue;
      const agreement = this.catalog.agreements.find((a) => a.id === v.agreement);
      if (agreement?.onwardTransfer !== 'provider-consent-required')
        throw new ExchangeError(
          'ONWARD_TRANSFER_PROHIBITED',
          403,
          `message ${v.id} was provided under ${v.agreement}, which prohibits any onward transfer: the case cannot be exported for ${exportFor}`,
          { rule: `agreements[${v.agreement}].onwardTransfer`, agreementId: v.agreement },
        );
      provided.push(v);
    }
    const grants = await this.consent.grantsFor(
      provided.map((v) => v.id),
      exportFor,
    );
    const consents: ManifestConsent[] = [];
    const missing: MessageView[] = [];
    for (const v of provided) {
      const grant = grants.get(v.id);
      if (!grant) missing.push(v);
      else
        consents.push({
          messageId: v.id,
          provider: grant.provider,
          recipientOrUse: exportFor,
          requestId: grant.requestId,
          decisionId: grant.decisionId,
          decidedAt: grant.decidedAt.toISOString(),
          conditions: [...grant.conditions],
        });
    }
    const first = missing[0];
    if (first) {
      const providers = [...new Set(missing.map((v) => v.from))].join(', ');
      throw new ExchangeError(
        'CONSENT_REQUIRED',
        403,
        `exporting this case for ${exportFor} passes on ${missing.length} message(s) provided by ${providers} (first: ${first.id}), which needs their consent for ${exportFor}, not granted`,
        { rule: `agreements[${first.agreement}].onwardTransfer`, agreementId: first.agreement },
      );
    }
    return { exportedFor: exportFor, consents };
  }
}
