import type { ManagedKafka } from '../../libs/testing/src/kafka.harness';
import type { ManagedPostgres } from '../../libs/testing/src/postgres.harness';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as { __puenteServices?: { kafka?: ManagedKafka; postgres?: ManagedPostgres } })
    .__puenteServices;
  await services?.kafka?.stop();
  await services?.postgres?.stop();
}
