export * from './record-headers';
export * from './kafka.factory';
export * from './topics';
export * from './record.producer';
export * from './inbox-record';
export * from './kafka-inbox.server';
export * from './consumer-restart';
export * from './topic.probe';
