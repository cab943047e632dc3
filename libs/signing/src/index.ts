export * from './party-keys';
export * from './key-files';
export * from './trust-store';
export * from './envelope.jws';
export * from './payload.jwe';
export * from './digest';
