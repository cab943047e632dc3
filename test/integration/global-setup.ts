// Jest loads global setup outside its module mapping: import the harnesses by path, not through @app/testing.
import { kafkaAccessEnv, startManagedKafka, type ManagedKafka } from '../../libs/testing/src/kafka.harness';
import { startPostgres, type ManagedPostgres } from '../../libs/testing/src/postgres.harness';

/**
 * Starts the real services the integration tests need, unless the environment already points at
 * them: the managed Kafka broker, secured (KAFKA_BROKERS, with KAFKA_CA_FILE, KAFKA_ADMIN_CREDENTIALS
 * and PUENTE_TEST_KAFKA_USERS for a secured one) and a PostgreSQL server (PUENTE_TEST_POSTGRES_URL).
 * Teardown stops only what this started.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const services: { kafka?: ManagedKafka; postgres?: ManagedPostgres } = {};
  const what: string[] = [];
  if (!process.env.KAFKA_BROKERS) {
    services.kafka = await startManagedKafka(Number(process.env.PUENTE_TEST_KAFKA_PORT ?? 29092));
    Object.assign(process.env, kafkaAccessEnv(services.kafka));
    what.push(`Kafka (SASL_SSL, ACLs) at ${process.env.KAFKA_BROKERS}`);
  }
  if (!process.env.PUENTE_TEST_POSTGRES_URL) {
    services.postgres = await startPostgres();
    process.env.PUENTE_TEST_POSTGRES_URL = services.postgres.adminUrl;
    what.push(`PostgreSQL on port ${services.postgres.port}`);
  }
  (globalThis as { __puenteServices?: typeof services }).__puenteServices = services;
  process.stdout.write(
    `\n[integration] started ${what.join(' and ') || 'nothing (using given services)'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
