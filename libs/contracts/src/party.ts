/** A party is one administration running one exchange node, e.g. `us-cbp`. Parties are data (config/parties.yaml). */
export type PartyId = string;

/** Two-letter country, a dash, the administration: at most 32 characters, so no id can swell a refusal text. */
export const PARTY_ID_PATTERN = /^[a-z]{2}-[a-z0-9]{1,29}$/;

/**
 * Topic names: what a party receives, its dead letters, the ops flow. The namespace is `puente` in
 * every real network; a test network uses its own namespace so that several can share one broker
 * without reading each other's records.
 */
export const DEFAULT_TOPIC_NAMESPACE = 'puente';
export const inboxTopic = (party: PartyId, namespace = DEFAULT_TOPIC_NAMESPACE): string =>
  `${namespace}.inbox.${party}`;
export const dlqTopic = (party: PartyId, namespace = DEFAULT_TOPIC_NAMESPACE): string =>
  `${namespace}.dlq.${party}`;
export const opsFlowTopic = (namespace = DEFAULT_TOPIC_NAMESPACE): string => `${namespace}.ops.flow`;
export const OPS_FLOW_TOPIC = opsFlowTopic();
/** Signed key announcements and audit checkpoints of every party: one partition, kept for ever, read by all. */
export const trustTopic = (namespace = DEFAULT_TOPIC_NAMESPACE): string => `${namespace}.trust`;

/** A node's consumer group (its inbox), unless KAFKA_GROUP_ID says otherwise. */
export const nodeGroupId = (party: PartyId, namespace = DEFAULT_TOPIC_NAMESPACE): string =>
  `${namespace}-node-${party}`;
/** A node's consumer group on the trust topic (it never commits: it replays the topic at every start). */
export const trustGroupId = (party: PartyId, namespace = DEFAULT_TOPIC_NAMESPACE): string =>
  `${namespace}-node-${party}-trust`;
/**
 * The trust-topic group of one replica of a node: every replica reads the whole topic (each keeps its
 * own trust store), so each has a group of its own under the node's prefix, which the broker's ACL
 * grants as a prefix (`<trustGroupId>.`).
 */
export const trustReplicaGroupId = (
  party: PartyId,
  replica: string,
  namespace = DEFAULT_TOPIC_NAMESPACE,
): string => `${trustGroupId(party, namespace)}.${replica}`;
/** The consumer group `npm run audit:verify` reads the trust topic in, as the party, beside its running node. */
export const auditVerifyGroupId = (party: PartyId, namespace = DEFAULT_TOPIC_NAMESPACE): string =>
  `${namespace}-node-${party}-audit-verify`;
/** The ops monitor's consumer group (the flow topic), unless PUENTE_MONITOR_GROUP_ID says otherwise. */
export const monitorGroupId = (namespace = DEFAULT_TOPIC_NAMESPACE): string => `${namespace}-ops-monitor`;
/** The broker principal (SCRAM user) of the ops monitor; each party's is its party id. */
export const OPS_MONITOR_PRINCIPAL = 'ops-monitor';
