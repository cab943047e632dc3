import { Logger } from '@nestjs/common';
import { readApiClientsFile, StartupError } from '@app/api-edge';
import { loadCatalog, type AgreementsCatalog } from '@app/agreements';
import { type Clock, type NodeConfig, readWebhookEndpointsFile, type WebhookEndpoint } from '@app/config';
import { dlqTopic, inboxTopic, opsFlowTopic, trustTopic } from '@app/contracts';
import {
  createKafka,
  describeKafkaFailure,
  ensureTopics,
  KafkaInboxServer,
  openKafkaSecurity,
  RecordProducer,
  TopicProbe,
} from '@app/messaging';
import { FlowEventsPublisher, NodeMetrics } from '@app/observability';
import { InboxOffsetsRepository, openDatabase, type Db } from '@app/persistence';
import { loadOwnKeys, TrustStore, type OwnKeys } from '@app/signing';
import type { Kafka } from 'kafkajs';
import { type ApiClientFileEntry, readClientScope } from './personal-data/client-scope';
import { checkPersonalDataSetup } from './personal-data/personal-data.startup';

/** The resources a node opens before Nest starts, each step failing with a message that names what is wrong. */
export interface NodeRuntime {
  readonly config: NodeConfig;
  readonly clock: Clock;
  readonly catalog: AgreementsCatalog;
  readonly ownKeys: OwnKeys;
  readonly trustStore: TrustStore;
  /** The API clients file as read at start-up; registered in the database by ApiClientsRegistration. */
  readonly apiClients: readonly ApiClientFileEntry[];
  /** The node's masking secret; null when no agreement masks personal data. */
  readonly maskingSecret: Buffer | null;
  readonly db: Db;
  readonly kafka: Kafka;
  readonly producer: RecordProducer;
  readonly flowEvents: FlowEventsPublisher;
  readonly metrics: NodeMetrics;
  readonly topicProbe: TopicProbe;
  readonly inboxServer: KafkaInboxServer;
  readonly webhookEndpoints: readonly WebhookEndpoint[];
}

async function step<T>(logger: Logger, name: string, fn: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    const result = await fn();
    logger.log(`${name}: ok (${Date.now() - started} ms)`);
    return result;
  } catch (error) {
    throw new StartupError(name, error);
  }
}

export async function openNodeRuntime(config: NodeConfig, clock: Clock): Promise<NodeRuntime> {
  const logger = new Logger('Startup');
  const catalog = await step(logger, 'loading agreements', () =>
    loadCatalog(config.agreements.partiesFile, config.agreements.agreementsFile),
  );
  if (!catalog.parties.has(config.party)) {
    throw new StartupError(
      'checking the party',
      `PUENTE_PARTY "${config.party}" is not in ${config.agreements.partiesFile}`,
    );
  }
  const ownKeys = await step(logger, 'loading own keys', () => loadOwnKeys(config.keys.dir, config.party));
  const trustStore = await step(logger, 'loading the trust store', () =>
    TrustStore.load(config.keys.trustStoreFile),
  );
  const apiClients = await step(logger, 'reading API clients', () =>
    readNodeApiClients(config.apiClientsFile),
  );
  const maskingSecret = await step(logger, 'checking the personal-data settings', () =>
    checkPersonalDataSetup(config, catalog, apiClients),
  );
  const webhooksFile = config.webhooks.file;
  const webhookEndpoints = webhooksFile
    ? await step(logger, 'reading webhook endpoints', () => readWebhookEndpointsFile(webhooksFile))
    : [];
  const db = await step(logger, `opening the ${config.database.kind} database`, () =>
    openDatabase(config.database, 'node'),
  );

  const security = await step(logger, 'reading the broker credentials', () =>
    openKafkaSecurity(config.kafka.security),
  );
  if (config.kafka.security.kind === 'plaintext')
    logger.warn('KAFKA_SECURITY=plaintext: anyone who reaches the broker reads and writes every topic');
  const describe = (error: unknown) =>
    describeKafkaFailure(error, { brokers: config.kafka.brokers, security });
  const kafkaLogger = new Logger('Kafka');
  const kafka = createKafka(
    { brokers: config.kafka.brokers, clientId: config.kafka.clientId, security },
    (level, message) =>
      level === 'error'
        ? kafkaLogger.error(message)
        : level === 'warn'
          ? kafkaLogger.warn(message)
          : kafkaLogger.log(message),
  );
  const ns = config.kafka.topicNamespace;
  if (config.kafka.provisionTopics) {
    const parties = [...catalog.parties.keys()];
    await step(logger, 'provisioning topics', () =>
      ensureTopics(kafka, [
        ...parties.map((p) => inboxTopic(p, ns)),
        ...parties.map((p) => dlqTopic(p, ns)),
        opsFlowTopic(ns),
      ]).then(async (created) => [...created, ...(await ensureTopics(kafka, [trustTopic(ns)], 1))]),
    );
  }
  const producer = new RecordProducer(kafka);
  // Not fatal: a node whose broker is away or refuses it starts, says why on /health and keeps trying.
  await step(logger, 'connecting the producer', () =>
    producer.connectOrKeepTrying(describe, (message) => kafkaLogger.warn(message)),
  );
  const metrics = new NodeMetrics(config.party, {
    defaultMetrics: true,
    labels: { parties: [...catalog.parties.keys()], agreements: catalog.agreements.map((a) => a.id) },
  });
  const topicProbe = new TopicProbe(kafka);
  const flowProducer = new RecordProducer(kafka, { idempotent: false });
  const flowEvents = new FlowEventsPublisher(
    {
      send: (topic, records) =>
        flowProducer.send(records.map((r) => ({ topic, key: r.key, value: r.value }))),
    },
    {
      topic: opsFlowTopic(ns),
      observers: [(e) => metrics.observe(e)],
      flushIntervalMs: 200,
      maxBuffered: 20_000,
      onDropped: (n, error) =>
        logger.warn(`dropped ${n} flow events: ${error instanceof Error ? error.message : String(error)}`),
    },
  );
  // Built here rather than injected: the inbox server exists before Nest does.
  const inboxOffsets = new InboxOffsetsRepository(db);
  const inboxServer = new KafkaInboxServer({
    kafka,
    topic: inboxTopic(config.party, ns),
    groupId: config.kafka.groupId,
    fetch: config.kafka.fetch,
    commitIntervalMs: config.kafka.commitIntervalMs,
    concurrency: config.kafka.inboxConcurrency,
    describeFailure: describe,
    maxAttempts: config.kafka.inboxMaxAttempts,
    stallAfterMs: config.kafka.inboxStallSeconds * 1000,
    offsets: {
      load: (topic) => inboxOffsets.load(topic),
      save: (topic, offsets) => inboxOffsets.save(topic, offsets, clock.now()),
    },
    dependenciesUp: () =>
      db.ping().then(
        () => true,
        () => false,
      ),
  });
  return {
    config,
    clock,
    catalog,
    ownKeys,
    trustStore,
    apiClients,
    maskingSecret,
    db,
    kafka,
    producer,
    flowEvents,
    metrics,
    topicProbe,
    inboxServer,
    webhookEndpoints,
  };
}

/** The node refuses to start on any defect of its clients file: a half-read file would lock agencies out silently. */
function readNodeApiClients(file: string): ApiClientFileEntry[] {
  const problems: string[] = [];
  // The node's clients may be bound to agreements and message families (`scope`).
  const clients = readApiClientsFile(file, problems, (entry, at, p) => ({
    scope: readClientScope(entry.scope, at, p),
  }));
  if (problems.length > 0) throw new Error(`Invalid API clients file:\n  - ${problems.join('\n  - ')}`);
  return clients;
}
