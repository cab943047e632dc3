export * from './flow-event';
export * from './flow-events.publisher';
