import type { Kafka } from 'kafkajs';
import { ensureTopicSpecs } from './network-acl';

/**
 * Creates the topics that do not exist yet, on a single developer broker (replication factor 1);
 * existing ones are left as they are. A secured network's topics come from network provisioning.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  numPartitions = 3,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { created } = await ensureTopicSpecs(
      admin,
      topics.map((name) => ({ name, partitions: numPartitions, replicationFactor: 1, configs: {} })),
    );
    return created.map((t) => t.name);
  } finally {
    await admin.disconnect();
  }
}
