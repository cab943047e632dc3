/** A party is one administration running one exchange node, e.g. `us-cbp`. Parties are data (config/parties.yaml). */
export type PartyId = string;

export const PARTY_ID_PATTERN = /^[a-z]{2}-[a-z0-9]+$/;

/**
 * Topic names (design.md §3). The namespace is `puente` in every real network; a test network uses
 * its own namespace so that several can share one broker without reading each other's records.
 */
export const DEFAULT_TOPIC_NAMESPACE = 'puente';
export const inboxTopic = (party: PartyId, namespace = DEFAULT_TOPIC_NAMESPACE): string =>
  `${namespace}.inbox.${party}`;
export const dlqTopic = (party: PartyId, namespace = DEFAULT_TOPIC_NAMESPACE): string =>
  `${namespace}.dlq.${party}`;
export const opsFlowTopic = (namespace = DEFAULT_TOPIC_NAMESPACE): string => `${namespace}.ops.flow`;
export const OPS_FLOW_TOPIC = opsFlowTopic();
