import { type Admin, ConfigResourceTypes } from 'kafkajs';
import { deriveBrokerGrants, loadCatalog } from '@app/agreements';
import { dlqTopic, inboxTopic, opsFlowTopic, trustTopic } from '@app/contracts';
import { createKafka } from './kafka.factory';
import type { KafkaClientSecurity } from './kafka-security';
import { type AclRule, convergeAcls, ensureTopicSpecs, ruleText, type TopicSpec } from './network-acl';

export interface ProvisionOptions {
  readonly brokers: readonly string[];
  /** The provisioning admin's connection (the only principal allowed to create topics and ACLs). */
  readonly security: KafkaClientSecurity;
  readonly namespace: string;
  readonly partiesFile: string;
  readonly agreementsFile: string;
  readonly partitions: number;
  /** A number, or 'auto': the cluster's `default.replication.factor` (`resolveReplication`). */
  readonly replicationFactor: number | 'auto';
  /** A number, or 'auto': the cluster's `min.insync.replicas`, at most the replication factor. */
  readonly minInsyncReplicas: number | 'auto';
  /** How long dead letters stay on their topic (they are also rows in the node's database). */
  readonly dlqRetentionDays: number;
  readonly flowRetentionDays: number;
  readonly at: Date;
  readonly dryRun?: boolean;
  /** false for an unsecured developer broker, which has no authorizer: topics only. */
  readonly acls?: boolean;
}

/** Settings for one broker (the managed one, the demo's); a three-broker cluster wants RF 3, min ISR 2. */
export const SINGLE_BROKER_PROVISIONING = {
  partitions: 3,
  replicationFactor: 1,
  minInsyncReplicas: 1,
  dlqRetentionDays: 30,
  flowRetentionDays: 7,
} as const;

/** The same, with the replication the cluster it runs against is configured for (one broker or three). */
export const CLUSTER_SIZED_PROVISIONING = {
  ...SINGLE_BROKER_PROVISIONING,
  replicationFactor: 'auto',
  minInsyncReplicas: 'auto',
} as const;

export interface Replication {
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

/**
 * Fills in 'auto' from the cluster's own defaults (`default.replication.factor`,
 * `min.insync.replicas`), not from how many brokers answer right now: provisioning while one broker of
 * three is down must not make topics with one copy. The managed cluster (`kafka.sh start --brokers 3`)
 * sets 3 and 2, the single broker 1 and 1. The in-sync minimum never exceeds the replication factor.
 */
export function resolveReplication(
  wanted: Pick<ProvisionOptions, 'replicationFactor' | 'minInsyncReplicas'>,
  clusterDefaults: Replication,
): Replication {
  const replicationFactor =
    wanted.replicationFactor === 'auto' ? clusterDefaults.replicationFactor : wanted.replicationFactor;
  const minInsyncReplicas =
    wanted.minInsyncReplicas === 'auto'
      ? Math.min(clusterDefaults.minInsyncReplicas, replicationFactor)
      : wanted.minInsyncReplicas;
  return { replicationFactor, minInsyncReplicas };
}

/** The replication a broker gives topics created without settings (its configuration). */
async function clusterDefaults(admin: Admin, brokerId: number): Promise<Replication> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      {
        type: ConfigResourceTypes.BROKER,
        name: String(brokerId),
        configNames: ['default.replication.factor', 'min.insync.replicas'],
      },
    ],
  });
  const value = (name: string): number => {
    const n = Number(resources[0]?.configEntries.find((e) => e.configName === name)?.configValue);
    return Number.isInteger(n) && n > 0 ? n : 1;
  };
  return {
    replicationFactor: value('default.replication.factor'),
    minInsyncReplicas: value('min.insync.replicas'),
  };
}

export interface ProvisionReport {
  readonly lines: readonly string[];
  /** The replication new topics got (existing topics keep theirs). */
  readonly replication: Replication;
  readonly topicsCreated: number;
  readonly aclsAdded: number;
  readonly aclsRemoved: number;
}

const DAY_MS = 86_400_000;

/**
 * Converges one network's broker with its agreements: creates the missing topics (inbox and dead
 * letters per party, the ops flow topic, the trust topic) and makes the ACLs on the namespace's topics and groups
 * exactly those `deriveBrokerGrants` justifies. Idempotent; reports every change.
 */
export async function provisionNetwork(o: ProvisionOptions): Promise<ProvisionReport> {
  const catalog = loadCatalog(o.partiesFile, o.agreementsFile);
  const parties = [...catalog.parties.keys()];
  const grants = deriveBrokerGrants(catalog, { namespace: o.namespace, at: o.at });
  const because = new Map(grants.map((g) => [ruleText(g), g.because.join(', ')]));

  const kafka = createKafka(
    { brokers: o.brokers, clientId: 'puente-provisioning', security: o.security },
    () => undefined,
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    const brokerCount = cluster.brokers.length;
    const replication = resolveReplication(o, await clusterDefaults(admin, cluster.brokers[0]!.nodeId));
    if (replication.replicationFactor > brokerCount && !o.dryRun)
      throw new Error(
        `replication factor ${replication.replicationFactor} needs as many brokers; ${brokerCount} answer now`,
      );
    const replicated = {
      'min.insync.replicas': String(replication.minInsyncReplicas),
    };
    const spec = (name: string, configs: Record<string, string> = {}): TopicSpec => ({
      name,
      partitions: o.partitions,
      replicationFactor: replication.replicationFactor,
      configs: { ...replicated, ...configs },
    });
    const topics: TopicSpec[] = [
      ...parties.map((p) => spec(inboxTopic(p, o.namespace))),
      ...parties.map((p) =>
        spec(dlqTopic(p, o.namespace), { 'retention.ms': String(o.dlqRetentionDays * DAY_MS) }),
      ),
      spec(opsFlowTopic(o.namespace), { 'retention.ms': String(o.flowRetentionDays * DAY_MS) }),
      // One partition keeps announcements in order (a key's add before its retire). Kept for ever and
      // not compacted: every party may write here, and under compaction a record with a genuine
      // announcement's key would make the broker drop the genuine one.
      { ...spec(trustTopic(o.namespace), { 'retention.ms': '-1' }), partitions: 1 },
    ];
    const prefix = `${o.namespace}.`;
    const groupPrefix = `${o.namespace}-`;
    const topicResult = await ensureTopicSpecs(admin, topics, { dryRun: o.dryRun });
    const acls =
      o.acls === false
        ? { added: [], removed: [], kept: 0 }
        : await convergeAcls(
            admin,
            grants satisfies readonly AclRule[],
            (resource, name) => name.startsWith(resource === 'topic' ? prefix : groupPrefix),
            { dryRun: o.dryRun },
          );
    const lines = [
      `replication for new topics: factor ${replication.replicationFactor}, min.insync.replicas ${replication.minInsyncReplicas} (${brokerCount} broker${brokerCount === 1 ? '' : 's'} up)`,
      ...topicResult.created.map(
        (t) => `+ topic ${t.name} (${t.partitions} partitions, replication factor ${t.replicationFactor})`,
      ),
      ...acls.added.map((r) => `+ acl ${ruleText(r)}   (${because.get(ruleText(r)) ?? ''})`),
      ...acls.removed.map((r) => `- acl ${r.text}   (no agreement or role justifies it)`),
    ];
    lines.push(
      `${o.dryRun ? 'would change' : 'changed'}: ${topicResult.created.length} topics created, ` +
        `${acls.added.length} ACLs added, ${acls.removed.length} removed; ` +
        `${topicResult.existing.length} topics and ${acls.kept} ACLs already right`,
    );
    return {
      lines,
      replication,
      topicsCreated: topicResult.created.length,
      aclsAdded: acls.added.length,
      aclsRemoved: acls.removed.length,
    };
  } finally {
    await admin.disconnect();
  }
}
