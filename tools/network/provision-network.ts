/**
 * `npm run network:provision -- [--namespace puente] [--replication-factor auto|N] [--min-insync-replicas auto|N]
 *   [--partitions 3] [--dlq-retention-days 30] [--flow-retention-days 7] [--dry-run]`
 *
 * Replication `auto` (the default) takes the cluster's own `default.replication.factor` and
 * `min.insync.replicas`: 1 and 1 on the managed single broker, 3 and 2 on the managed three-broker
 * cluster (`npm run kafka -- start --brokers 3`). Existing topics keep the replication they have.
 *
 * Creates a network's topics and converges the broker's ACLs with config/agreements.yaml (adds what is
 * missing, removes what no agreement justifies any more), printing every change. Run it again whenever
 * the agreements or the parties change; it is idempotent.
 *
 * Environment: KAFKA_BROKERS; KAFKA_CA_FILE (the CA the broker's certificate chains to);
 * KAFKA_ADMIN_CREDENTIALS (the provisioning admin's {"username","password"} file, mode 0600);
 * PUENTE_PARTIES_FILE and PUENTE_AGREEMENTS_FILE (default config/parties.yaml, config/agreements.yaml).
 * `KAFKA_SECURITY=plaintext` for a developer's unsecured broker (topics only: it has no ACLs).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EnvReader, readKafkaSecurity } from '@app/config';
import { describeKafkaFailure, openKafkaSecurity, provisionNetwork } from '@app/messaging';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      namespace: { type: 'string', default: 'puente' },
      partitions: { type: 'string', default: '3' },
      'replication-factor': { type: 'string', default: 'auto' },
      'min-insync-replicas': { type: 'string', default: 'auto' },
      'dlq-retention-days': { type: 'string', default: '30' },
      'flow-retention-days': { type: 'string', default: '7' },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const env = new EnvReader({
    ...process.env,
    KAFKA_CREDENTIALS_FILE: process.env.KAFKA_ADMIN_CREDENTIALS ?? process.env.KAFKA_CREDENTIALS_FILE,
  });
  const brokers = env.list('KAFKA_BROKERS');
  if (brokers.length === 0) env.problems.push('KAFKA_BROKERS is required');
  const security = readKafkaSecurity(env, process.cwd(), '.puente/kafka/19092/admin.kafka.json');
  const number = (name: keyof typeof values, min: number, max: number): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) env.problems.push(`--${name} must be ${min}..${max}`);
    return n;
  };
  const orAuto = (name: keyof typeof values, min: number, max: number): number | 'auto' =>
    values[name] === 'auto' ? 'auto' : number(name, min, max);
  const options = {
    brokers,
    namespace: String(values.namespace),
    partitions: number('partitions', 1, 1000),
    replicationFactor: orAuto('replication-factor', 1, 7),
    minInsyncReplicas: orAuto('min-insync-replicas', 1, 7),
    dlqRetentionDays: number('dlq-retention-days', 1, 3650),
    flowRetentionDays: number('flow-retention-days', 1, 3650),
    partiesFile: resolve(env.string('PUENTE_PARTIES_FILE', 'config/parties.yaml')),
    agreementsFile: resolve(env.string('PUENTE_AGREEMENTS_FILE', 'config/agreements.yaml')),
    at: new Date(),
    dryRun: values['dry-run'] === true,
  };
  if (
    typeof options.minInsyncReplicas === 'number' &&
    typeof options.replicationFactor === 'number' &&
    options.minInsyncReplicas > options.replicationFactor
  )
    env.problems.push('--min-insync-replicas cannot exceed --replication-factor');
  if (env.problems.length > 0) {
    for (const p of env.problems) process.stderr.write(`network:provision: ${p}\n`);
    return 2;
  }
  const client = openKafkaSecurity(security);
  try {
    const report = await provisionNetwork({
      ...options,
      security: client,
      acls: security.kind === 'sasl_ssl',
    });
    for (const line of report.lines) process.stdout.write(`${line}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(
      `network:provision: ${describeKafkaFailure(error, { brokers, security: client })}\n`,
    );
    return 1;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`network:provision: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
