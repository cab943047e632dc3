import {
  dlqTopic,
  inboxTopic,
  monitorGroupId,
  nodeGroupId,
  OPS_MONITOR_PRINCIPAL,
  opsFlowTopic,
  type PartyId,
  trustGroupId,
  trustTopic,
  auditVerifyGroupId,
} from '@app/contracts';
import type { Agreement, AgreementsCatalog } from './agreement';

/** One right on the broker: principal (a party id, or the ops monitor) × operation × resource. */
export interface BrokerGrant {
  readonly principal: string;
  readonly operation: 'READ' | 'WRITE';
  readonly resource: 'topic' | 'group';
  readonly name: string;
  /** `prefixed`: every name starting with `name` (a replica's own group); literal otherwise. */
  readonly pattern?: 'prefixed';
  /** Why it exists, for the provisioning report: the agreements behind a channel, or the role. */
  readonly because: readonly string[];
}

export const grantKey = (
  g: Pick<BrokerGrant, 'principal' | 'operation' | 'resource' | 'name' | 'pattern'>,
): string => `${g.principal} ${g.operation} ${g.resource}:${g.name}${g.pattern === 'prefixed' ? '*' : ''}`;

/**
 * Channels the broker keeps open: those of every agreement not terminated at `at`. An agreement signed
 * but not yet in force, or suspended, keeps its channels on the broker: the nodes refuse its messages
 * on both ends (AGREEMENT_NOT_IN_FORCE, AGREEMENT_SUSPENDED) and their signed refusal receipts need the
 * way back; it also comes into force on its date without re-provisioning. A terminated agreement's
 * channels are closed on the broker as well.
 */
function open(agreement: Agreement, at: Date): boolean {
  return !agreement.terminatedFrom || at.getTime() < agreement.terminatedFrom.getTime();
}

/**
 * The broker rights the agreements justify, and no others (the broker then enforces the same
 * agreements as the nodes, one layer down):
 * - each party READs its own inbox, its own dead-letter topic and its own consumer group, and WRITEs
 *   its dead-letter topic (records it sets aside);
 * - a party WRITEs to a peer's inbox only where an open agreement has a channel between them, in
 *   either direction (receipts and replies flow back);
 * - every node WRITEs the ops flow topic; only the ops monitor READs it;
 * - every node WRITEs the trust topic (its own key announcements) and READs it (everyone's), with its
 *   own trust group: the broker cannot tell whose announcement a record is, the signature inside can
 *   (a node refuses an announcement not signed by a key of the party it speaks for).
 * Nobody but the provisioning admin may create, delete or alter anything.
 */
export function deriveBrokerGrants(
  catalog: AgreementsCatalog,
  options: { readonly namespace: string; readonly at: Date },
): BrokerGrant[] {
  const ns = options.namespace;
  const grants = new Map<string, { grant: Omit<BrokerGrant, 'because'>; because: Set<string> }>();
  const add = (grant: Omit<BrokerGrant, 'because'>, because: string) => {
    const key = grantKey(grant);
    const entry = grants.get(key) ?? { grant, because: new Set<string>() };
    entry.because.add(because);
    grants.set(key, entry);
  };
  const parties: PartyId[] = [...catalog.parties.keys()];
  for (const party of parties) {
    add({ principal: party, operation: 'READ', resource: 'topic', name: inboxTopic(party, ns) }, 'own inbox');
    add(
      { principal: party, operation: 'READ', resource: 'topic', name: dlqTopic(party, ns) },
      'own dead letters',
    );
    add(
      { principal: party, operation: 'WRITE', resource: 'topic', name: dlqTopic(party, ns) },
      'own dead letters',
    );
    add(
      { principal: party, operation: 'READ', resource: 'group', name: nodeGroupId(party, ns) },
      'own group',
    );
    add({ principal: party, operation: 'WRITE', resource: 'topic', name: opsFlowTopic(ns) }, 'flow events');
    add(
      { principal: party, operation: 'WRITE', resource: 'topic', name: trustTopic(ns) },
      'key announcements',
    );
    add(
      { principal: party, operation: 'READ', resource: 'topic', name: trustTopic(ns) },
      'key announcements',
    );
    add(
      {
        principal: party,
        operation: 'READ',
        resource: 'group',
        name: `${trustGroupId(party, ns)}.`,
        pattern: 'prefixed',
      },
      'key announcements (a group per replica of the node)',
    );
    add(
      { principal: party, operation: 'READ', resource: 'group', name: auditVerifyGroupId(party, ns) },
      'audit checkpoints (audit:verify)',
    );
  }
  add(
    { principal: OPS_MONITOR_PRINCIPAL, operation: 'READ', resource: 'topic', name: opsFlowTopic(ns) },
    'ops monitor',
  );
  add(
    { principal: OPS_MONITOR_PRINCIPAL, operation: 'READ', resource: 'group', name: monitorGroupId(ns) },
    'ops monitor',
  );
  for (const agreement of catalog.agreements.filter((a) => open(a, options.at))) {
    for (const channel of agreement.channels) {
      for (const from of channel.from) {
        for (const to of channel.to) {
          if (from === to) continue;
          add(
            { principal: from, operation: 'WRITE', resource: 'topic', name: inboxTopic(to, ns) },
            agreement.id,
          );
          // The way back: receipts, and replies where the agreement allows them.
          add(
            { principal: to, operation: 'WRITE', resource: 'topic', name: inboxTopic(from, ns) },
            agreement.id,
          );
        }
      }
    }
  }
  return [...grants.values()]
    .map(({ grant, because }) => ({ ...grant, because: [...because].sort() }))
    .sort((a, b) => grantKey(a).localeCompare(grantKey(b)));
}
