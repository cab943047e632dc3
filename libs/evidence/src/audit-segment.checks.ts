import { auditHash, type AuditDetail, type ChainedAuditEntry } from '@app/contracts';
import { checkAuditCheckpoint } from '@app/signing';
import { MEMBER } from './bundle.format';
import type { BundleContext } from './bundle.context';
import { isJsonObject, textOf } from './json.members';

export interface CheckedSegment {
  readonly bySeq: ReadonlyMap<number, ChainedAuditEntry>;
  /** The highest entry a signed checkpoint covers (0 when none does). */
  readonly anchoredUpTo: number;
}

/**
 * The audit chain segment: every entry re-hashed and linked to the one before; its start tied to the
 * chain's genesis or to a signed checkpoint, its end to the head the manifest states; each checkpoint
 * signed by the exporting party with a key valid at its time and naming an entry's true hash. The
 * export's own entry must be there, naming this conversation.
 */
export async function checkAuditSegment(ctx: BundleContext): Promise<CheckedSegment> {
  const { manifest, members, report } = ctx;
  const path = MEMBER.segment;
  const lines = textOf(path, members.get(path) ?? report.fail(path, 'is missing'))
    .split('\n')
    .filter((l) => l !== '');
  const bySeq = new Map<number, ChainedAuditEntry>();
  let prev: ChainedAuditEntry | undefined;
  for (const [i, line] of lines.entries()) {
    const entry = parseEntry(line) ?? report.fail(path, `line ${i + 1} is not an audit entry`);
    if (prev && entry.seq !== prev.seq + 1)
      report.fail(path, `entry ${prev.seq + 1} is missing (line ${i + 1} is entry ${entry.seq})`);
    if (prev && entry.prevHash !== prev.hash)
      report.fail(path, `entry ${entry.seq} does not link to entry ${prev.seq} (its previous hash differs)`);
    if (auditHash(entry) !== entry.hash)
      report.fail(path, `entry ${entry.seq} does not match its hash: it was changed`);
    bySeq.set(entry.seq, entry);
    prev = entry;
  }
  const first = bySeq.get(manifest.audit.from);
  const last = bySeq.get(manifest.audit.to);
  if (!first || !last || lines.length !== manifest.audit.to - manifest.audit.from + 1)
    return report.fail(
      path,
      `does not hold entries ${manifest.audit.from}–${manifest.audit.to} as the manifest says`,
    );
  if (last.seq !== manifest.audit.head.seq || last.hash !== manifest.audit.head.hash)
    report.fail(
      path,
      `ends at entry ${last.seq}, not at the head ${manifest.audit.head.seq} the manifest states`,
    );

  // Each checkpoint: the exporting party's signature over (seq, hash) of an entry of this segment —
  // or over the entry just before it, whose hash the first entry names as its previous hash.
  let anchoredFrom = first.seq === 1 && first.prevHash === 'genesis';
  let anchoredUpTo = 0;
  const exporter = manifest.exportedBy.party;
  for (const c of manifest.audit.checkpoints) {
    const jws = textOf(c.path, members.get(c.path) ?? report.fail(c.path, 'is missing'));
    const checked = await checkAuditCheckpoint(jws, ctx.trust.store);
    if (!checked.ok) return report.fail(c.path, `${checked.reason}: ${checked.detail}`);
    const cp = checked.checkpoint;
    if (cp.party !== exporter || cp.seq !== c.seq)
      report.fail(
        c.path,
        `is a checkpoint of ${cp.party} entry ${cp.seq}, not of ${exporter} entry ${c.seq}`,
      );
    const expected = cp.seq === first.seq - 1 ? first.prevHash : bySeq.get(cp.seq)?.hash;
    if (expected === undefined) return report.fail(c.path, `names entry ${cp.seq}, outside the segment`);
    if (expected !== cp.hash)
      report.fail(
        c.path,
        `says entry ${cp.seq} has hash ${cp.hash.slice(0, 12)}…, the segment has ${expected.slice(0, 12)}…`,
      );
    if (cp.seq === first.seq - 1) anchoredFrom = true;
    anchoredUpTo = Math.max(anchoredUpTo, cp.seq);
  }
  if (!anchoredFrom)
    report.fail(
      path,
      `starts at entry ${first.seq} without the checkpoint of entry ${first.seq - 1} that anchors it`,
    );

  const exportEntry = bySeq.get(manifest.audit.exportSeq);
  if (
    !exportEntry ||
    exportEntry.kind !== 'evidence.exported' ||
    exportEntry.detail.conversation !== manifest.conversationId ||
    exportEntry.detail.client !== manifest.exportedBy.client
  )
    return report.fail(path, `entry ${manifest.audit.exportSeq} is not the record of this export`);

  report.line(
    `Audit chain: entries ${first.seq}–${last.seq} re-hashed and linked, ${manifest.audit.checkpoints.length} signed checkpoint(s), this export recorded as entry ${exportEntry.seq} — OK`,
  );
  if (anchoredUpTo < last.seq)
    report.note(
      `entries ${anchoredUpTo + 1}–${last.seq} come after the last signed checkpoint: only the manifest's signature attests them (peers hold the checkpoints published later)`,
    );
  return { bySeq, anchoredUpTo };
}

function parseEntry(line: string): ChainedAuditEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (
    !isJsonObject(v) ||
    typeof v.seq !== 'number' ||
    typeof v.at !== 'string' ||
    typeof v.kind !== 'string' ||
    typeof v.prevHash !== 'string' ||
    typeof v.hash !== 'string' ||
    !isJsonObject(v.detail)
  )
    return undefined;
  const at = new Date(v.at);
  if (Number.isNaN(at.getTime())) return undefined;
  return {
    seq: v.seq,
    at,
    kind: v.kind,
    messageId: typeof v.messageId === 'string' ? v.messageId : null,
    counterpart: typeof v.counterpart === 'string' ? v.counterpart : null,
    detail: v.detail as AuditDetail,
    prevHash: v.prevHash,
    hash: v.hash,
  };
}
