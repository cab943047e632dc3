export * from './flow-event';
export * from './flow-events.publisher';
export * from './node.metrics';
