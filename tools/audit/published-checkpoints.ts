import type { NodeConfig } from '@app/config';
import { auditVerifyGroupId, type PartyId, trustTopic } from '@app/contracts';
import { createKafka, openKafkaSecurity, TrustTopicConsumer } from '@app/messaging';
import {
  applyKeyEvent,
  type AuditCheckpoint,
  checkAuditCheckpoint,
  checkKeyEvent,
  isAuditCheckpointRecord,
  TrustStore,
} from '@app/signing';

/** How long the tool waits to read the whole trust topic. */
const READ_TIMEOUT_MS = 30_000;

/**
 * Every audit checkpoint published on the trust topic whose signature checks out, by party, in topic
 * order — read the way a node reads it: from the bootstrap trust store, applying the key
 * announcements in between (a checkpoint may be signed with a key a rotation added).
 */
export async function readPublishedCheckpoints(config: NodeConfig): Promise<Map<PartyId, AuditCheckpoint[]>> {
  const trust = await TrustStore.load(config.keys.trustStoreFile);
  const security = openKafkaSecurity(config.kafka.security);
  const kafka = createKafka(
    { brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-audit-verify`, security },
    () => undefined,
  );
  const found = new Map<PartyId, AuditCheckpoint[]>();
  let chain = Promise.resolve();
  const consumer = new TrustTopicConsumer({
    kafka,
    topic: trustTopic(config.kafka.topicNamespace),
    groupId: auditVerifyGroupId(config.party, config.kafka.topicNamespace),
    onRecord: (value) => {
      chain = chain.then(async () => {
        if (isAuditCheckpointRecord(value)) {
          const checked = await checkAuditCheckpoint(value, trust);
          if (checked.ok)
            found.set(checked.checkpoint.party, [
              ...(found.get(checked.checkpoint.party) ?? []),
              checked.checkpoint,
            ]);
          return;
        }
        const event = await checkKeyEvent(value, trust);
        if (event.ok) await applyKeyEvent(event.event, trust);
      });
      return chain;
    },
  });
  try {
    const complete = await consumer.start(READ_TIMEOUT_MS);
    if (!complete) throw new Error(`could not read the whole trust topic within ${READ_TIMEOUT_MS} ms`);
    await chain;
    return found;
  } finally {
    await consumer.stop();
  }
}
