import type { ApiClientEntry } from '@app/api-edge';
import type { KafkaSecuritySettings } from '@app/config';
import type { PartyId } from '@app/contracts';

/** A client of the monitor, as listed in the API clients file: only a SHA-256 of its bearer token is kept. */
export type MonitorClient = ApiClientEntry;

export interface MonitoredNode {
  readonly party: PartyId;
  /** Base URL of the node's HTTP API; the monitor reads `<url>/health` and `<url>/metrics`. */
  readonly url: string;
}

/** Everything the ops monitor needs, validated once at start-up: feature code never reads `process.env`. */
export interface MonitorConfig {
  readonly http: { readonly host: string; readonly port: number };
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly clientId: string;
    /** Its own group: the monitor reads every partition of the flow topic and never competes with a node. */
    readonly groupId: string;
    /** TLS and SCRAM credentials of the monitor's broker principal (`User:ops-monitor`). */
    readonly security: KafkaSecuritySettings;
    readonly topicNamespace: string;
    /** A new group starts from the oldest retained event instead of the newest. */
    readonly fromBeginning: boolean;
    /** Create the flow topic at start when missing (an unsecured developer broker only; provisioning does it). */
    readonly provisionTopic: boolean;
  };
  readonly nodes: readonly MonitoredNode[];
  readonly clients: readonly MonitorClient[];
  readonly window: {
    readonly historyMs: number;
    readonly maxEvents: number;
    readonly overdueAfterMs: number;
  };
  readonly poll: { readonly intervalMs: number; readonly timeoutMs: number };
  readonly logJson: boolean;
}
