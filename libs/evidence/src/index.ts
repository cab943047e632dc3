export * from './bundle.format';
export * from './evidence-bundle.writer';
export * from './evidence-bundle.verifier';
export * from './verification.report';
export { packZip, unpackZip, ContainerError } from './zip.container';
