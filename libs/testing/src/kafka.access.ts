import { ConfigResourceTypes } from 'kafkajs';
import { join } from 'node:path';
import {
  brokerCredentialsFile,
  createKafka,
  type KafkaClientSecurity,
  openKafkaSecurity,
  provisionNetwork,
  CLUSTER_SIZED_PROVISIONING,
  type ProvisionReport,
} from '@app/messaging';
import type { KafkaAccess } from './kafka.harness';

/** kafkajs security for `principal` ('admin' for the provisioning admin) on this broker. */
export function clientSecurityFor(access: KafkaAccess, principal: string): KafkaClientSecurity {
  if (!access.secured) return {};
  return openKafkaSecurity({
    kind: 'sasl_ssl',
    caFile: access.secured.caFile,
    credentialsFile:
      principal === 'admin'
        ? access.secured.adminCredentialsFile
        : brokerCredentialsFile(access.secured.usersDir, principal),
  });
}

/** Which broker (node id) leads each partition of `topic`, and which replicas are in sync. */
export async function partitionLeaders(
  access: KafkaAccess,
  topic: string,
): Promise<{ partition: number; leader: number; replicas: number[]; isr: number[] }[]> {
  const admin = createKafka(
    {
      brokers: access.brokers,
      clientId: 'puente-test-leaders',
      security: clientSecurityFor(access, 'admin'),
    },
    () => undefined,
  ).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return (topics[0]?.partitions ?? [])
      .map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: [...p.replicas].sort((a, b) => a - b),
        isr: [...p.isr].sort((a, b) => a - b),
      }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Makes `nodeId` the preferred leader of every partition of `topic` (first in its replica list; the
 * replicas themselves stay). The cluster's automatic preferred-leader election then moves leadership
 * there (`leader.imbalance.check.interval.seconds`, 10 s on the managed cluster).
 */
export async function preferLeader(access: KafkaAccess, topic: string, nodeId: number): Promise<void> {
  const partitions = await partitionLeaders(access, topic);
  const admin = createKafka(
    { brokers: access.brokers, clientId: 'puente-test-prefer', security: clientSecurityFor(access, 'admin') },
    () => undefined,
  ).admin();
  await admin.connect();
  try {
    await admin.alterPartitionReassignments({
      topics: [
        {
          topic,
          partitionAssignment: partitions.map((p) => {
            if (!p.replicas.includes(nodeId))
              throw new Error(`broker ${nodeId} holds no copy of ${topic}/${p.partition}`);
            return { partition: p.partition, replicas: [nodeId, ...p.replicas.filter((r) => r !== nodeId)] };
          }),
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/** One topic-level setting of `topic` as the broker applies it (its own or the broker's default). */
export async function topicSetting(
  access: KafkaAccess,
  topic: string,
  name: string,
): Promise<string | undefined> {
  const admin = createKafka(
    { brokers: access.brokers, clientId: 'puente-test-config', security: clientSecurityFor(access, 'admin') },
    () => undefined,
  ).admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
    });
    return resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
  } finally {
    await admin.disconnect();
  }
}

/** The environment a node or the ops monitor needs to reach this broker as `principal`. */
export function kafkaEnvFor(access: KafkaAccess, principal: string): Record<string, string> {
  const brokers = { KAFKA_BROKERS: access.brokers.join(',') };
  if (!access.secured) return { ...brokers, KAFKA_SECURITY: 'plaintext', PUENTE_PROVISION_TOPICS: 'true' };
  return {
    ...brokers,
    KAFKA_SECURITY: 'sasl_ssl',
    KAFKA_CA_FILE: access.secured.caFile,
    KAFKA_CREDENTIALS_FILE: brokerCredentialsFile(access.secured.usersDir, principal),
  };
}

/** Topics and ACLs of one test network, as `npm run network:provision` makes them for a real one. */
export function provisionTestNetwork(
  access: KafkaAccess,
  o: {
    readonly namespace: string;
    readonly agreementsFile: string;
    readonly repoRoot: string;
    readonly at?: Date;
  },
): Promise<ProvisionReport> {
  return provisionNetwork({
    brokers: access.brokers,
    security: clientSecurityFor(access, 'admin'),
    namespace: o.namespace,
    partiesFile: join(o.repoRoot, 'config/parties.yaml'),
    agreementsFile: o.agreementsFile,
    ...CLUSTER_SIZED_PROVISIONING,
    at: o.at ?? new Date(),
    acls: access.secured !== undefined,
  });
}
