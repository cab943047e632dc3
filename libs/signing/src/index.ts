// The public surface of @app/signing: plain classes and functions the app wraps in providers.
export * from './jose-profile.constants';
export * from './signing.errors';
export { kidFor, parseKid, partyOfKid, okpThumbprint, type KeyUse, type ParsedKid } from './key-id.format';
export { type PartyJwk } from './party-jwk.validator';
export * from './party-keys.generator';
export * from './party-keys.files';
export * from './trust-store.file';
export * from './key-validity';
export * from './own-keys.loader';
export * from './trust-store';
export * from './envelope.signer';
export * from './envelope.verifier';
export * from './payload.encrypter';
export * from './payload.decrypter';
export * from './record.digest';
export * from './key-event';
export * from './audit-checkpoint';
export * from './masking-secret.file';
