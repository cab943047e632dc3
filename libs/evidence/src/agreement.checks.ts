import { type Agreement, agreementSha256 } from '@app/agreements';
import type { Manifest } from './bundle.format';
import { agreementFromDocument } from './agreement.replay';
import { textOf } from './json.members';
import type { ReportWriter } from './verification.report';

/** The bundle's agreement texts by `sha256:<hex>`, each checked against its hash. */
export type CheckedAgreements = ReadonlyMap<
  string,
  { readonly agreement: Agreement; readonly path: string; readonly firstSeenAt: string }
>;

export function checkAgreements(
  members: ReadonlyMap<string, Uint8Array>,
  manifest: Manifest,
  report: ReportWriter,
): CheckedAgreements {
  const checked = new Map<string, { agreement: Agreement; path: string; firstSeenAt: string }>();
  for (const a of manifest.agreements) {
    const bytes = members.get(a.path) ?? report.fail(a.path, 'is missing');
    const text = textOf(a.path, bytes);
    if (agreementSha256(text) !== a.sha256)
      report.fail(a.path, `does not hash to ${a.sha256}, the version the messages travelled under`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return report.fail(a.path, 'is not JSON');
    }
    const agreement = agreementFromDocument(parsed);
    if (!agreement || agreement.id !== a.id) report.fail(a.path, `is not the text of agreement ${a.id}`);
    checked.set(a.sha256, { agreement, path: a.path, firstSeenAt: a.firstSeenAt });
    report.line(
      `Agreement ${a.id} (“${agreement.title}”), ${a.sha256.slice(0, 19)}…, in use since ${a.firstSeenAt} — OK`,
    );
  }
  return checked;
}
