import { resolve } from 'node:path';
import { ConfigError, EnvReader, readKafkaSecurity } from '@app/config';
import { monitorGroupId, OPS_MONITOR_PRINCIPAL } from '@app/contracts';
import { readMonitorClients } from './monitor-clients.file';
import type { MonitorConfig } from './monitor-config';
import { parseMonitorNodes } from './monitor-nodes.parser';

/** ConfigError with a heading that names the monitor, so an operator knows which process to fix. */
export class MonitorConfigError extends ConfigError {
  constructor(problems: readonly string[]) {
    super(problems);
    this.message = `Invalid ops monitor configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  }
}

/**
 * Builds the monitor's configuration from environment variables (README: ops monitor) and reads its
 * API clients file. Relative paths resolve against `cwd`. Throws MonitorConfigError listing every
 * problem at once.
 */
export function loadMonitorConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): MonitorConfig {
  const r = new EnvReader(env);

  const brokers = r.list('KAFKA_BROKERS');
  if (brokers.length === 0) r.problems.push('KAFKA_BROKERS is required (host:port, comma separated)');
  for (const b of brokers)
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) r.problems.push(`KAFKA_BROKERS entry "${b}" is not host:port`);
  const topicNamespace = r.string('PUENTE_TOPIC_NAMESPACE', 'puente');
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(topicNamespace))
    r.problems.push(`PUENTE_TOPIC_NAMESPACE "${topicNamespace}" must be lower-case letters, digits, - or _`);

  const nodes = parseMonitorNodes(r.list('PUENTE_MONITOR_NODES'), r.problems);
  const clientsFile = r.string('PUENTE_MONITOR_CLIENTS_FILE');
  const clients = clientsFile ? readMonitorClients(resolve(cwd, clientsFile), r.problems) : [];
  const pollIntervalMs = r.int('PUENTE_MONITOR_POLL_MS', 2_000, { min: 200, max: 60_000 });

  const config: MonitorConfig = {
    http: {
      host: r.string('HOST', '127.0.0.1'),
      port: r.int('PORT', 7199, { min: 0, max: 65535 }),
    },
    kafka: {
      brokers,
      clientId: r.string('KAFKA_CLIENT_ID', 'puente-ops-monitor'),
      groupId: r.string('PUENTE_MONITOR_GROUP_ID', monitorGroupId(topicNamespace)),
      security: readKafkaSecurity(r, cwd, `.puente/keys/${OPS_MONITOR_PRINCIPAL}.kafka.json`),
      topicNamespace,
      fromBeginning: r.bool('PUENTE_MONITOR_FROM_BEGINNING', false),
      provisionTopic: r.bool('PUENTE_PROVISION_TOPICS', false),
    },
    nodes,
    clients,
    window: {
      historyMs: r.int('PUENTE_MONITOR_HISTORY_MINUTES', 15, { min: 1, max: 24 * 60 }) * 60_000,
      maxEvents: r.int('PUENTE_MONITOR_MAX_EVENTS', 200_000, { min: 1_000, max: 2_000_000 }),
      overdueAfterMs: r.int('PUENTE_MONITOR_OVERDUE_SECONDS', 30, { min: 1, max: 7 * 86_400 }) * 1000,
    },
    // A poll slower than its interval would pile up; it is cut off at the interval (at most 5 s).
    poll: { intervalMs: pollIntervalMs, timeoutMs: Math.min(pollIntervalMs, 5_000) },
    logJson: r.bool('PUENTE_LOG_JSON', false),
  };

  if (r.problems.length > 0) throw new MonitorConfigError(r.problems);
  return config;
}
