import { resolve } from 'node:path';
import { nodeGroupId, PARTY_ID_PATTERN } from '@app/contracts';
import { ConfigError } from './config.error';
import { EnvReader } from './env.reader';
import { readKafkaSecurity } from './kafka-security';
import type { DatabaseConfig, NodeConfig } from './node-config';

/**
 * Builds a NodeConfig from environment variables (documented in the README's configuration table).
 * Relative paths resolve against `cwd`. Throws ConfigError listing every problem at once, so an
 * operator fixes the file in one pass.
 */
export function loadNodeConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): NodeConfig {
  const r = new EnvReader(env);
  const path = (p: string) => resolve(cwd, p);

  const party = r.string('PUENTE_PARTY');
  if (party && !PARTY_ID_PATTERN.test(party))
    r.problems.push(`PUENTE_PARTY "${party}" is not a party id like us-cbp`);

  const topicNamespace = r.string('PUENTE_TOPIC_NAMESPACE', 'puente');
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(topicNamespace))
    r.problems.push(`PUENTE_TOPIC_NAMESPACE "${topicNamespace}" must be lower-case letters, digits, - or _`);
  const brokers = r.list('KAFKA_BROKERS', []);
  if (brokers.length === 0) r.problems.push('KAFKA_BROKERS is required (host:port, comma separated)');
  for (const b of brokers)
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) r.problems.push(`KAFKA_BROKERS entry "${b}" is not host:port`);

  const databaseUrl = r.optional('DATABASE_URL');
  const aeoOperatorsFile = r.optional('PUENTE_AEO_OPERATORS_FILE');
  const database: DatabaseConfig = databaseUrl
    ? { kind: 'postgres', url: databaseUrl }
    : { kind: 'pglite', dataDir: path(r.string('PUENTE_DATA_DIR', `.puente/data/${party || 'node'}`)) };
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
    r.problems.push('DATABASE_URL must start with postgres://');

  const keysDir = path(r.string('PUENTE_KEYS_DIR', '.puente/keys'));
  const config: NodeConfig = {
    party,
    http: {
      host: r.string('HOST', '127.0.0.1'),
      port: r.int('PORT', 7100, { min: 0, max: 65535 }),
      bodyLimitBytes: r.int('PUENTE_HTTP_BODY_LIMIT_BYTES', 1_048_576, { min: 1024, max: 64 * 1_048_576 }),
      maxJsonDepth: r.int('PUENTE_HTTP_MAX_JSON_DEPTH', 32, { min: 4, max: 256 }),
      rateLimit: {
        perSecond: r.int('PUENTE_RATE_LIMIT_PER_SECOND', 500, { min: 0, max: 1_000_000 }),
        burst: r.int('PUENTE_RATE_LIMIT_BURST', 1000, { min: 1, max: 1_000_000 }),
      },
    },
    kafka: {
      brokers,
      clientId: r.string('KAFKA_CLIENT_ID', `puente-${party}`),
      groupId: r.string('KAFKA_GROUP_ID', nodeGroupId(party, topicNamespace)),
      security: readKafkaSecurity(r, cwd, `${keysDir}/${party || 'node'}.kafka.json`),
      topicNamespace,
      provisionTopics: r.bool('PUENTE_PROVISION_TOPICS', false),
      fetch: {
        minBytes: r.int('PUENTE_KAFKA_FETCH_MIN_BYTES', 1, { min: 1, max: 16 * 1_048_576 }),
        maxWaitMs: r.int('PUENTE_KAFKA_FETCH_MAX_WAIT_MS', 500, { min: 1, max: 10_000 }),
      },
      commitIntervalMs: r.int('PUENTE_KAFKA_COMMIT_INTERVAL_MS', 500, { min: 10, max: 60_000 }),
      inboxConcurrency: r.int('PUENTE_INBOX_CONCURRENCY', 64, { min: 1, max: 1_000 }),
      inboxMaxAttempts: r.int('PUENTE_INBOX_MAX_ATTEMPTS', 5, { min: 1, max: 100 }),
      inboxStallSeconds: r.int('PUENTE_INBOX_STALL_SECONDS', 60, { min: 1, max: 86_400 }),
    },
    database,
    keys: {
      dir: keysDir,
      trustStoreFile: path(r.string('PUENTE_TRUST_STORE', `${keysDir}/trust-store.json`)),
      decryptOverlapSeconds: r.int('PUENTE_KEY_OVERLAP_SECONDS', 7 * 86_400, { min: 0, max: 365 * 86_400 }),
      reloadIntervalMs: r.int('PUENTE_KEYS_RELOAD_MS', 5_000, { min: 100, max: 3_600_000 }),
    },
    auditCheckpoints: {
      intervalSeconds: r.int('PUENTE_AUDIT_CHECKPOINT_SECONDS', 300, { min: 1, max: 86_400 }),
      everyEntries: r.int('PUENTE_AUDIT_CHECKPOINT_ENTRIES', 1000, { min: 1, max: 10_000_000 }),
    },
    agreements: {
      partiesFile: path(r.string('PUENTE_PARTIES_FILE', 'config/parties.yaml')),
      agreementsFile: path(r.string('PUENTE_AGREEMENTS_FILE', 'config/agreements.yaml')),
    },
    apiClientsFile: path(r.string('PUENTE_API_CLIENTS_FILE', `${keysDir}/api-clients.json`)),
    personalData: {
      maskingSecretFile: path(
        r.string('PUENTE_MASKING_SECRET_FILE', `${keysDir}/${party || 'node'}.masking.secret`),
      ),
      unmaskRequestHours: r.int('PUENTE_UNMASK_REQUEST_HOURS', 24, { min: 1, max: 720 }),
      unmaskViewHours: r.int('PUENTE_UNMASK_VIEW_HOURS', 1, { min: 1, max: 72 }),
    },
    limits: {
      maxRecordBytes: r.int('PUENTE_MAX_RECORD_BYTES', 1_048_576, { min: 4096, max: 16 * 1_048_576 }),
      messageTtlSeconds: r.int('PUENTE_MESSAGE_TTL_SECONDS', 7 * 86_400, { min: 60, max: 365 * 86_400 }),
      replayWindowSeconds: r.int('PUENTE_REPLAY_WINDOW_SECONDS', 30 * 86_400, { min: 60, max: 365 * 86_400 }),
      clockSkewSeconds: r.int('PUENTE_CLOCK_SKEW_SECONDS', 300, { min: 0, max: 3600 }),
    },
    relay: {
      batchSize: r.int('PUENTE_RELAY_BATCH_SIZE', 200, { min: 1, max: 5000 }),
      batchBytes: r.int('PUENTE_RELAY_BATCH_BYTES', 900_000, { min: 4096, max: 64 * 1_048_576 }),
      pollIntervalMs: r.int('PUENTE_RELAY_POLL_MS', 250, { min: 10, max: 60_000 }),
      resendAfterMs: r.int('PUENTE_RESEND_AFTER_MS', 60_000, { min: 100, max: 86_400_000 }),
      paused: r.bool('PUENTE_RELAY_PAUSED', false),
    },
    assessor: {
      kind: assessorKind(r),
      watchlistFile: path(r.string('PUENTE_WATCHLIST_FILE', 'config/watchlist.demo.yaml')),
    },
    retention: {
      intervalSeconds: r.int('PUENTE_RETENTION_INTERVAL_SECONDS', 3600, { min: 10, max: 7 * 86_400 }),
      outboxDays: r.int('PUENTE_OUTBOX_RETENTION_DAYS', 7, { min: 0, max: 3650 }),
      rejectionsDays: r.int('PUENTE_REJECTIONS_RETENTION_DAYS', 90, { min: 0, max: 3650 }),
    },
    idempotency: { keyHours: r.int('PUENTE_IDEMPOTENCY_KEY_HOURS', 24, { min: 1, max: 720 }) },
    events: {
      retentionDays: r.int('PUENTE_EVENTS_RETENTION_DAYS', 7, { min: 1, max: 3650 }),
      streamsPerClient: r.int('PUENTE_EVENT_STREAMS_PER_CLIENT', 4, { min: 1, max: 100 }),
      pollMs: r.int('PUENTE_EVENTS_POLL_MS', 500, { min: 10, max: 60_000 }),
    },
    webhooks: {
      file: optionalPath(r, 'PUENTE_WEBHOOKS_FILE', path),
      maxAttempts: r.int('PUENTE_WEBHOOK_MAX_ATTEMPTS', 12, { min: 1, max: 100 }),
      timeoutMs: r.int('PUENTE_WEBHOOK_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
      backoffMs: r.int('PUENTE_WEBHOOK_BACKOFF_MS', 1_000, { min: 10, max: 3_600_000 }),
      maxBackoffMs: r.int('PUENTE_WEBHOOK_MAX_BACKOFF_MS', 3_600_000, { min: 10, max: 86_400_000 }),
      eventsPerTick: r.int('PUENTE_WEBHOOK_EVENTS_PER_TICK', 100, { min: 1, max: 10_000 }),
    },
    aeo: {
      operatorsFile: aeoOperatorsFile ? path(aeoOperatorsFile) : null,
      syncIntervalSeconds: r.int('PUENTE_AEO_SYNC_INTERVAL_SECONDS', 86_400, { min: 0, max: 30 * 86_400 }),
    },
    logJson: r.bool('PUENTE_LOG_JSON', false),
  };

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

function optionalPath(r: EnvReader, name: string, path: (p: string) => string): string | undefined {
  const value = r.optional(name);
  return value === undefined ? undefined : path(value);
}

function assessorKind(r: EnvReader): 'none' | 'watchlist' {
  const kind = r.string('PUENTE_RISK_ASSESSOR', 'none');
  if (kind === 'none' || kind === 'watchlist') return kind;
  r.problems.push(`PUENTE_RISK_ASSESSOR must be none or watchlist (got "${kind}")`);
  return 'none';
}
