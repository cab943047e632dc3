import { Inject, Injectable } from '@nestjs/common';
import {
  type Agreement,
  type AgreementsCatalog,
  holdsPersonalData,
  isAgreedPurpose,
  mayReadPersonalData,
} from '@app/agreements';
import { CLOCK, type Clock } from '@app/config';
import { resolveMessageType } from '@app/contracts';
import { AuditLogRepository, type GroupCommitter } from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ConsentLedger } from '../consent/consent.ledger';
import type { MessageView, WithheldBy } from '../messages/message.view';
import { ExchangeError } from '../shared/exchange.error';
import { CATALOG, GROUP_COMMIT } from '../shared/tokens';
import { checkScope } from './client-scope';
import { ClientScopes } from './client-scopes.registry';
import { purposeRequired } from './read-purpose';

export type ReadRoute = 'message' | 'inbox' | 'conversation' | 'evidence' | 'forward' | 'consent';

/**
 * What a client may see of the messages it asked for, and the record that it saw them, in four steps:
 * its scope (a single message outside it is refused, lists leave such messages out), the agreement's
 * `readableBy` (other clients get the metadata only, marked `personalDataWithheld`), the declared
 * purpose for what this node received (one of the agreement's purposes, or a further use the provider
 * consented to for that message; otherwise a single message is refused with CONSENT_REQUIRED and
 * lists show the metadata only), then one audit entry per message holding personal data — client, declared purpose,
 * conversation, whether fields were withheld and why, the consent relied on — and never the data
 * itself. A read of personal data without a purpose is refused.
 */
@Injectable()
export class PersonalDataReads {
  constructor(
    @Inject(CATALOG) private readonly catalog: AgreementsCatalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GROUP_COMMIT) private readonly commits: GroupCommitter,
    private readonly scopes: ClientScopes,
    private readonly audit: AuditLogRepository,
    private readonly consent: ConsentLedger,
  ) {}

  /** A single message (`route` says which route reads it); a purpose the provider did not agree to is refused. */
  async one(
    client: ApiClient,
    purpose: string | undefined,
    view: MessageView,
    route: ReadRoute = 'message',
  ): Promise<MessageView> {
    if (!this.inScope(client, view)) {
      const check = checkScope(this.scopes.of(client.id), view.agreement, this.typeOf(view));
      throw new ExchangeError('OUT_OF_SCOPE', 403, check.inScope ? 'out of scope' : check.detail, {
        rule: check.inScope ? undefined : check.rule,
        agreementId: view.agreement,
      });
    }
    const [shown] = await this.many(client, purpose, route, [view]);
    if (shown?.withheldBy === 'purpose') throw consentRequired(view, purpose ?? '');
    return shown ?? view;
  }

  async many(
    client: ApiClient,
    purpose: string | undefined,
    route: ReadRoute,
    views: readonly MessageView[],
  ): Promise<MessageView[]> {
    const visible = views
      .filter((v) => this.inScope(client, v))
      .map((v) => (v.replies ? { ...v, replies: v.replies.filter((r) => this.inScope(client, r)) } : v));
    const personal = visible.flatMap((v) => [v, ...(v.replies ?? [])]).filter((v) => this.holds(v));
    if (personal.length === 0) return visible;
    if (!purpose) throw purposeRequired();
    const withheld = new Map<string, WithheldBy>();
    const needConsent: string[] = [];
    for (const v of personal) {
      const agreement = this.agreement(v);
      if (!mayReadPersonalData(agreement, client.roles)) withheld.set(v.id, 'readableBy');
      // The purpose limitation binds what this node received: its own messages are its own data,
      // and only their provider can consent to a further use of the others.
      else if (v.direction === 'inbound' && !isAgreedPurpose(agreement, purpose)) needConsent.push(v.id);
    }
    const grants = await this.consent.grantsFor(needConsent, purpose);
    const consents = new Map<string, string>();
    for (const id of needConsent) {
      const grant = grants.get(id);
      if (grant) consents.set(id, grant.decisionId);
      else withheld.set(id, 'purpose');
    }
    await this.record(client, purpose, route, personal, withheld, consents);
    const shown = (v: MessageView): MessageView => {
      const by = withheld.get(v.id);
      return by ? { ...v, payload: {}, personalDataWithheld: true, withheldBy: by } : v;
    };
    return visible.map((v) => (v.replies ? { ...shown(v), replies: v.replies.map(shown) } : shown(v)));
  }

  private async record(
    client: ApiClient,
    purpose: string,
    route: ReadRoute,
    views: readonly MessageView[],
    withheld: ReadonlyMap<string, WithheldBy>,
    consents: ReadonlyMap<string, string>,
  ): Promise<void> {
    const now = this.clock.now();
    await this.commits.run(async (tx) => {
      for (const v of views)
        await this.audit.append(tx, now, 'message.read', v.id, v.direction === 'inbound' ? v.from : v.to, {
          client: client.id,
          purpose,
          route,
          conversation: v.conversationId,
          agreement: v.agreement,
          withheld: withheld.has(v.id),
          ...(withheld.has(v.id) ? { withheldBy: withheld.get(v.id) } : {}),
          ...(consents.has(v.id) ? { consent: consents.get(v.id) } : {}),
          masked: v.maskedAt !== undefined,
        });
    });
  }

  private holds(v: MessageView): boolean {
    return holdsPersonalData(this.agreement(v)) && Object.keys(v.payload).length > 0;
  }

  private inScope(client: ApiClient, v: MessageView): boolean {
    return checkScope(this.scopes.of(client.id), v.agreement, this.typeOf(v)).inScope;
  }

  private typeOf(v: MessageView) {
    const type = resolveMessageType(v.type);
    if (!type) throw new Error(`stored message ${v.id} has an unknown type`);
    return type;
  }

  private agreement(v: MessageView): Agreement | undefined {
    return this.catalog.agreements.find((a) => a.id === v.agreement);
  }
}

/** A read under a purpose outside the agreement's, without the provider's consent for it. */
export function consentRequired(view: MessageView, purpose: string): ExchangeError {
  const from = view.direction === 'inbound' ? view.from : 'its provider';
  return new ExchangeError(
    'CONSENT_REQUIRED',
    403,
    `message ${view.id} was shared under ${view.agreement} for its purposes only; reading it for "${purpose}" needs ${from}'s consent (POST /v1/messages/${view.id}/consent-requests with intendedUse "${purpose}")`,
    { rule: `agreements[${view.agreement}].purposes`, agreementId: view.agreement },
  );
}
