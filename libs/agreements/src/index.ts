export * from './agreement';
export * from './agreements-file.error';
export * from './catalog.loader';
export * from './decide.policy';
export * from './personal-data.policy';
export * from './payload-encryption.policy';
export * from './describe-agreement';
export * from './broker-grants';
