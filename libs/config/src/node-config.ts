import type { PartyId } from '@app/contracts';
import type { KafkaSecuritySettings } from './kafka-security';

export type DatabaseConfig = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/**
 * Everything a node needs, validated once at start-up: a bad setting stops the node before it serves,
 * and feature code reads this object, never `process.env`.
 */
export interface NodeConfig {
  readonly party: PartyId;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly bodyLimitBytes: number;
    /** JSON input nested deeper than this (objects and arrays) is refused with 400 SCHEMA_INVALID. */
    readonly maxJsonDepth: number;
    /**
     * A token bucket per API client (per remote address before authentication): `burst` requests at
     * once, refilled at `perSecond`; over it, 429 RATE_LIMITED. `perSecond` 0 turns it off.
     */
    readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  };
  readonly kafka: {
    readonly brokers: readonly string[];
    readonly clientId: string;
    readonly groupId: string;
    /** TLS and SCRAM credentials of this party's broker principal (`User:<party>`). */
    readonly security: KafkaSecuritySettings;
    /** Topic names are `<namespace>.inbox.<party>` etc.; `puente` unless a test network isolates itself. */
    readonly topicNamespace: string;
    /**
     * Create the inbox, DLQ and flow topics at boot when missing: only for a developer's unsecured
     * broker. On a secured network `npm run network:provision` creates them and nodes have no right to.
     */
    readonly provisionTopics: boolean;
    /**
     * The inbox consumer's fetches: the broker answers once it has `minBytes` for this node, or
     * after `maxWaitMs` with what it has. More bytes per fetch means fuller batches under load;
     * the wait bounds the latency this adds when traffic is light, and sets how often an idle
     * node asks.
     */
    readonly fetch: { readonly minBytes: number; readonly maxWaitMs: number };
    /** How often the inbox consumer commits the offsets of the records it handled. */
    readonly commitIntervalMs: number;
    /** Records of one partition's batch the inbox handles at once (offsets still commit in order). */
    readonly inboxConcurrency: number;
    /** Attempts at a record failing with an unclassified fault before it is set aside (DLQ). */
    readonly inboxMaxAttempts: number;
    /** A partition with lag whose offset has not moved for this long makes /health say `stalled`. */
    readonly inboxStallSeconds: number;
  };
  readonly database: DatabaseConfig;
  readonly keys: {
    readonly dir: string;
    readonly trustStoreFile: string;
    /** After a rotation's switch, the previous encryption key still decrypts this long (payloads in flight). */
    readonly decryptOverlapSeconds: number;
    /** How often the node looks whether its key file or the trust store file changed, and takes the change. */
    readonly reloadIntervalMs: number;
  };
  /** Signed audit heads published to the peers (over the trust topic): at least this often, and after this many entries. */
  readonly auditCheckpoints: { readonly intervalSeconds: number; readonly everyEntries: number };
  readonly agreements: { readonly partiesFile: string; readonly agreementsFile: string };
  readonly apiClientsFile: string;
  /** Masking and unmasking of personal data (docs/security.md). */
  readonly personalData: {
    /** The node's secret for keyed digests and for sealing the originals of masked fields. */
    readonly maskingSecretFile: string;
    /** How long a DPO's unmask request waits for a second DPO's approval. */
    readonly unmaskRequestHours: number;
    /** How long, after approval, the requesting DPO may read the unmasked message. */
    readonly unmaskViewHours: number;
  };
  readonly limits: {
    /** Largest Kafka record value accepted, in bytes; larger ones are refused with TOO_LARGE. */
    readonly maxRecordBytes: number;
    /** Default lifetime of an outbound message (expires-at = created-at + this). */
    readonly messageTtlSeconds: number;
    /** Inbound created-at must be within this window of now, else REPLAYED (or in the future: clock skew). */
    readonly replayWindowSeconds: number;
    readonly clockSkewSeconds: number;
  };
  readonly relay: {
    readonly batchSize: number;
    /** At most this many record bytes per send: a broker refuses a batch over its message.max.bytes. */
    readonly batchBytes: number;
    readonly pollIntervalMs: number;
    /** A sent message without a receipt after this long is sent again (same id), backing off, until it expires. */
    readonly resendAfterMs: number;
    /** Maintenance: accept and store outbound messages but hold them in the outbox (nothing is published). */
    readonly paused: boolean;
  };
  /**
   * The passenger-risk assessor this node runs on the traveler risk queries it receives: `none` (the
   * default), or `watchlist` matching against `watchlistFile` (reloaded when the file changes).
   */
  readonly assessor: { readonly kind: 'none' | 'watchlist'; readonly watchlistFile: string };
  /** How often the retention job removes personal data past its agreement's retention period. */
  readonly retention: {
    readonly intervalSeconds: number;
    /** Published outbox rows of settled messages (and receipts, dead letters) are deleted after this long. */
    readonly outboxDays: number;
    /** `inbound_rejections` rows (each holding the refused record's bytes) are deleted after this long. */
    readonly rejectionsDays: number;
  };
  /** `Idempotency-Key`s of submissions are kept this long; a retry after that is a new submission. */
  readonly idempotency: { readonly keyHours: number };
  /** The node's events for back-office systems: webhooks and `GET /v1/events`. */
  readonly events: {
    /** Events are deleted this long after they happened, once every webhook endpoint has passed them. */
    readonly retentionDays: number;
    /** Open `GET /v1/events` streams one API client may hold at once; more get 429 RATE_LIMITED. */
    readonly streamsPerClient: number;
    /** How often a stream and the webhook dispatcher look for new events. */
    readonly pollMs: number;
  };
  readonly webhooks: {
    /** The endpoints file (JSON: id, url, secretFile, events); none configured without it. */
    readonly file: string | undefined;
    /** Attempts at one event before it becomes a dead letter and the endpoint moves on. */
    readonly maxAttempts: number;
    /** Whole request (connect, send, response headers and the bounded body read). */
    readonly timeoutMs: number;
    /** The first retry's delay; each further one doubles, up to `maxBackoffMs`. */
    readonly backoffMs: number;
    readonly maxBackoffMs: number;
    /** Events one endpoint is sent per dispatcher tick at most. */
    readonly eventsPerTick: number;
  };
  /**
   * Authorized Economic Operator status exchange: this administration's own operators (a JSON file its
   * programme feeds; none when unset, and the node then sends no syncs) and how often they are synced
   * to each partner an agreement in force allows (0: only on demand, `npm run aeo:sync`).
   */
  readonly aeo: { readonly operatorsFile: string | null; readonly syncIntervalSeconds: number };
  readonly logJson: boolean;
}
