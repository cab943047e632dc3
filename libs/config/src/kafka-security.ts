import { resolve } from 'node:path';
import type { EnvReader } from './env.reader';

/**
 * How a process authenticates to the brokers. `sasl_ssl` (the default): TLS, trusting `caFile` (or the
 * system's CAs when none is given), and SCRAM-SHA-512 with the principal in `credentialsFile`.
 * `plaintext` exists for a developer's own unsecured broker only: anyone who reaches such a broker
 * reads and writes every topic.
 */
export type KafkaSecuritySettings =
  | { readonly kind: 'plaintext' }
  | { readonly kind: 'sasl_ssl'; readonly caFile?: string; readonly credentialsFile: string };

/** KAFKA_SECURITY, KAFKA_CA_FILE and KAFKA_CREDENTIALS_FILE, for the node and the ops monitor alike. */
export function readKafkaSecurity(
  r: EnvReader,
  cwd: string,
  defaultCredentialsFile: string,
): KafkaSecuritySettings {
  const kind = r.string('KAFKA_SECURITY', 'sasl_ssl').toLowerCase();
  if (kind === 'plaintext') return { kind: 'plaintext' };
  if (kind !== 'sasl_ssl') r.problems.push(`KAFKA_SECURITY must be sasl_ssl or plaintext (got "${kind}")`);
  const caFile = r.optional('KAFKA_CA_FILE');
  return {
    kind: 'sasl_ssl',
    ...(caFile ? { caFile: resolve(cwd, caFile) } : {}),
    credentialsFile: resolve(cwd, r.string('KAFKA_CREDENTIALS_FILE', defaultCredentialsFile)),
  };
}
