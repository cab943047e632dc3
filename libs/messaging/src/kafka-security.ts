import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaSecuritySettings } from '@app/config';
import type { SASLOptions } from 'kafkajs';

/** What kafkajs needs to reach a secured broker: the CA to trust and the principal's SCRAM login. */
export interface KafkaClientSecurity {
  readonly ssl?: { readonly ca: readonly string[] } | true;
  readonly sasl?: {
    readonly mechanism: 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
}

export interface BrokerCredentials {
  readonly username: string;
  readonly password: string;
}

/** A setting whose file cannot be used; the message names the setting and the file, never a secret. */
export class KafkaSettingsError extends Error {
  readonly code = 'KAFKA_SETTINGS_INVALID';
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** `<dir>/<principal>.kafka.json`: where `npm run keys` writes a principal's broker credentials. */
export function brokerCredentialsFile(dir: string, principal: string): string {
  return join(dir, `${principal}.kafka.json`);
}

/**
 * Reads a credentials file (`{"username", "password"}`). Refuses one that other users of the machine
 * may read: a broker password is as secret as a signing key.
 */
export function readBrokerCredentials(file: string, setting = 'KAFKA_CREDENTIALS_FILE'): BrokerCredentials {
  if (!existsSync(file))
    throw new KafkaSettingsError(`${setting}: ${file} does not exist (npm run keys writes it)`);
  if ((statSync(file).mode & 0o077) !== 0)
    throw new KafkaSettingsError(`${setting}: ${file} is readable by other users; chmod 600 it`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new KafkaSettingsError(`${setting}: ${file} is not JSON`);
  }
  const { username, password } = (parsed ?? {}) as Partial<Record<string, unknown>>;
  if (typeof username !== 'string' || !USERNAME.test(username))
    throw new KafkaSettingsError(`${setting}: ${file} has no valid "username"`);
  if (typeof password !== 'string' || password.length < 16)
    throw new KafkaSettingsError(`${setting}: ${file} has no "password" of at least 16 characters`);
  return { username, password };
}

/**
 * Makes sure `<dir>/<principal>.kafka.json` exists, with a new random password when it does not
 * (written at mode 0600, atomically). Returns whether it was created.
 */
export function ensureBrokerCredentials(dir: string, principal: string): 'generated' | 'kept' {
  const file = brokerCredentialsFile(dir, principal);
  if (existsSync(file)) return 'kept';
  if (!USERNAME.test(principal)) throw new KafkaSettingsError(`"${principal}" cannot be a broker principal`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const credentials: BrokerCredentials = {
    username: principal,
    password: randomBytes(24).toString('base64url'),
  };
  writeFileSync(tmp, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return 'generated';
}

/** Turns the validated settings into kafkajs options, reading the CA and credentials files. */
export function openKafkaSecurity(settings: KafkaSecuritySettings): KafkaClientSecurity {
  if (settings.kind === 'plaintext') return {};
  let ca: string | undefined;
  if (settings.caFile) {
    if (!existsSync(settings.caFile))
      throw new KafkaSettingsError(`KAFKA_CA_FILE: ${settings.caFile} does not exist`);
    ca = readFileSync(settings.caFile, 'utf8');
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new KafkaSettingsError(`KAFKA_CA_FILE: ${settings.caFile} holds no PEM certificate`);
  }
  const { username, password } = readBrokerCredentials(settings.credentialsFile);
  return { ssl: ca ? { ca: [ca] } : true, sasl: { mechanism: 'scram-sha-512', username, password } };
}

/** kafkajs's own option types, from ours (kept apart so ours stay readonly). */
export function kafkajsSecurity(security: KafkaClientSecurity | undefined): {
  ssl?: { ca: string[] } | boolean;
  sasl?: SASLOptions;
} {
  if (!security) return {};
  return {
    ...(security.ssl ? { ssl: security.ssl === true ? true : { ca: [...security.ssl.ca] } } : {}),
    ...(security.sasl ? { sasl: { ...security.sasl } } : {}),
  };
}
