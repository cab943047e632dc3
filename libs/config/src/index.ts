export * from './node-config';
export * from './node-config.loader';
export * from './config.error';
export * from './env.reader';
export * from './clock';
export * from './kafka-security';
export * from './webhook-endpoints.file';
