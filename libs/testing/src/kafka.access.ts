import { join } from 'node:path';
import {
  brokerCredentialsFile,
  type KafkaClientSecurity,
  openKafkaSecurity,
  provisionNetwork,
  SINGLE_BROKER_PROVISIONING,
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
    ...SINGLE_BROKER_PROVISIONING,
    at: o.at ?? new Date(),
    acls: access.secured !== undefined,
  });
}
