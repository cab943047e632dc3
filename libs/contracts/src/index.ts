export * from './reason-code';
export * from './message-type';
export * from './party';
export * from './field-error';
