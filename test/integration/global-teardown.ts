import type { ManagedKafka, ManagedPostgres } from '@app/testing';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as { __puenteServices?: { kafka?: ManagedKafka; postgres?: ManagedPostgres } }).__puenteServices;
  await services?.kafka?.stop();
  await services?.postgres?.stop();
}
