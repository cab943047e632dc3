import {
  type Acl,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  type AclEntry,
  ResourcePatternTypes,
} from 'kafkajs';

/** One ALLOW rule for a principal on a topic or group name (what provisioning manages). */
export interface AclRule {
  readonly principal: string;
  readonly operation: 'READ' | 'WRITE';
  readonly resource: 'topic' | 'group';
  readonly name: string;
  /** `prefixed`: every name that starts with `name`; a literal name otherwise. */
  readonly pattern?: 'prefixed';
}

/** A rule found on the broker within the managed scope, in whatever shape it was written. */
export interface FoundAcl {
  readonly entry: AclEntry;
  readonly text: string;
}

export interface AclConvergence {
  readonly added: readonly AclRule[];
  readonly removed: readonly FoundAcl[];
  readonly kept: number;
}

export const ruleText = (r: AclRule): string =>
  `User:${r.principal} ${r.operation} ${r.resource} ${r.name}${r.pattern === 'prefixed' ? ' (PREFIXED)' : ''}`;

const OPERATION = { READ: AclOperationTypes.READ, WRITE: AclOperationTypes.WRITE } as const;
const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP } as const;

function toEntry(rule: AclRule): AclEntry {
  return {
    resourceType: RESOURCE[rule.resource],
    resourceName: rule.name,
    resourcePatternType:
      rule.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    principal: `User:${rule.principal}`,
    host: '*',
    operation: OPERATION[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

const entryKey = (e: AclResourceTypesLike & Acl): string =>
  [
    e.resourceType,
    e.resourceName,
    e.resourcePatternType,
    e.principal,
    e.host,
    e.operation,
    e.permissionType,
  ].join('|');
type AclResourceTypesLike = Pick<AclEntry, 'resourceType' | 'resourceName' | 'resourcePatternType'>;

/** kafkajs's ACL constants are plain objects at run time: a number's name is looked up by value. */
const nameOf = (constants: object, value: number): string =>
  Object.entries(constants).find(([, v]) => v === value)?.[0] ?? String(value);

function describeEntry(e: AclEntry): string {
  const op = nameOf(AclOperationTypes, e.operation);
  const res = nameOf(AclResourceTypes, e.resourceType);
  const pattern =
    e.resourcePatternType === ResourcePatternTypes.LITERAL
      ? ''
      : ` (${nameOf(ResourcePatternTypes, e.resourcePatternType)})`;
  const permission =
    e.permissionType === AclPermissionTypes.ALLOW ? '' : ` ${nameOf(AclPermissionTypes, e.permissionType)}`;
  return `${e.principal}${permission} ${op} ${res.toLowerCase()} ${e.resourceName}${pattern}`;
}

/**
 * Makes the broker's ACLs on the managed resources exactly `desired`: adds what is missing and removes
 * every other ACL on a topic or group inside the scope (whatever its principal, pattern or
 * permission), so a channel no agreement justifies any more is closed. ACLs outside the scope (other
 * namespaces, other applications) are left alone. Idempotent: a second run changes nothing.
 */
export async function convergeAcls(
  admin: Admin,
  desired: readonly AclRule[],
  inScope: (resource: 'topic' | 'group', name: string) => boolean,
  options: { readonly dryRun?: boolean } = {},
): Promise<AclConvergence> {
  const described = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const existing: AclEntry[] = [];
  for (const resource of described.resources) {
    const kind =
      resource.resourceType === AclResourceTypes.TOPIC
        ? 'topic'
        : resource.resourceType === AclResourceTypes.GROUP
          ? 'group'
          : undefined;
    if (!kind || !inScope(kind, resource.resourceName)) continue;
    for (const acl of resource.acls)
      existing.push({
        resourceType: resource.resourceType,
        resourceName: resource.resourceName,
        resourcePatternType: resource.resourcePatternType,
        ...acl,
      });
  }
  const wanted = new Map(desired.map((rule) => [entryKey(toEntry(rule)), rule]));
  const present = new Set(existing.map(entryKey));
  const added = [...wanted].filter(([key]) => !present.has(key)).map(([, rule]) => rule);
  const removed = existing
    .filter((e) => !wanted.has(entryKey(e)))
    .map((entry) => ({ entry, text: describeEntry(entry) }));
  if (!options.dryRun) {
    if (added.length > 0) await admin.createAcls({ acl: added.map(toEntry) });
    if (removed.length > 0)
      await admin.deleteAcls({
        filters: removed.map(({ entry }) => ({ ...entry })),
      });
  }
  return { added, removed, kept: existing.length - removed.length };
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
}

/** Creates the topics that do not exist yet; existing ones are reported, not changed. */
export async function ensureTopicSpecs(
  admin: Admin,
  topics: readonly TopicSpec[],
  options: { readonly dryRun?: boolean } = {},
): Promise<{ readonly created: readonly TopicSpec[]; readonly existing: readonly string[] }> {
  const present = new Set(await admin.listTopics());
  const created = topics.filter((t) => !present.has(t.name));
  if (created.length > 0 && !options.dryRun) {
    // Not kafkajs' own `waitForLeaders`: it asks the broker that took the request and gives up on the
    // first UNKNOWN_TOPIC_OR_PARTITION. With KRaft that broker is any broker, forwarding to the
    // controller, and it may not have heard of the topic it just created; in a three-broker cluster it
    // sometimes has not.
    await admin.createTopics({
      topics: created.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      })),
    });
    await waitForTopicLeaders(
      admin,
      created.map((t) => t.name),
    );
  }
  return { created, existing: topics.filter((t) => present.has(t.name)).map((t) => t.name) };
}

/** What a broker answers about a topic it has not caught up with yet: worth asking again. */
const METADATA_NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Waits until every partition of `topics` has a leader. A broker that does not know a new topic yet,
 * or knows it without leaders, is asked again every `intervalMs`; any other error, or no leaders
 * after `timeoutMs`, fails with the topics named.
 */
export async function waitForTopicLeaders(
  admin: Pick<Admin, 'fetchTopicMetadata'>,
  topics: readonly string[],
  {
    timeoutMs = 60_000,
    intervalMs = 200,
  }: { readonly timeoutMs?: number; readonly intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const leaderless = found
        .filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0))
        .map((t) => t.name);
      if (found.length === topics.length && leaderless.length === 0) return;
      last = `without a leader yet: ${leaderless.join(', ') || 'topics missing from the answer'}`;
    } catch (error) {
      const type = errorType(error);
      if (type === undefined || !METADATA_NOT_YET.has(type)) throw error;
      last = type;
    }
    if (Date.now() >= deadline)
      throw new Error(
        `Topics ${topics.join(', ')} have no leader for every partition after ${timeoutMs} ms (${last})`,
      );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** kafkajs' error type, also when its retrier wrapped the protocol error. */
function errorType(error: unknown): string | undefined {
  const e = error as { type?: unknown; cause?: { type?: unknown } } | null;
  const type = e?.type ?? e?.cause?.type;
  return typeof type === 'string' ? type : undefined;
}
