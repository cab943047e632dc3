export * from './reason-code';
export * from './message-type';
export * from './party';
export * from './field-error';
export * from './uuid';
export * from './payloads/payload.codec';
export * from './payloads/examples';
export { MAX_TRAVELERS } from './payloads/passenger-risk.dto';
export * from './envelope/envelope.codec';
