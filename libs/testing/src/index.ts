export * from './kafka.harness';
export * from './postgres.harness';
export * from './keys.fixture';
export * from './with-changes';
export * from './travelers.fixture';
export * from './fake-kafka-consumer';
export * from './kafka.access';
export * from './synthetic-people.fixture';
