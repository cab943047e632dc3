export * from './kafka.harness';
export * from './postgres.harness';
