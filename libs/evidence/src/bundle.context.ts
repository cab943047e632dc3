import type { CheckedAgreements } from './agreement.checks';
import type { Manifest } from './bundle.format';
import type { VerifierTrust } from './key.checks';
import type { ReportWriter } from './verification.report';

/** What the verifier's checks share once the container, the manifest, the keys and the agreements are read. */
export interface BundleContext {
  readonly members: ReadonlyMap<string, Uint8Array>;
  readonly manifest: Manifest;
  readonly trust: VerifierTrust;
  readonly agreements: CheckedAgreements;
  readonly report: ReportWriter;
}
