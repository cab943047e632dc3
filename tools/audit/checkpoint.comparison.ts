/** One entry a party vouched for: its audit chain has hash `hash` at entry `seq`. */
export interface Vouched {
  readonly seq: number;
  readonly hash: string;
  readonly at?: Date;
}

export type ComparisonVerdict =
  | {
      readonly ok: true;
      readonly checkpoints: number;
      readonly lastSeq: number;
      /** Checkpoints of a history a restore from backup discarded (published before it, past the backup). */
      readonly superseded?: number;
    }
  | { readonly ok: false; readonly seq: number; readonly detail: string };

/**
 * The local chain against the checkpoints this node published: every checkpoint's entry must still
 * be there with the published hash. A chain rewritten in the database — even with every later hash
 * and the head recomputed, so that it verifies on its own — disagrees at the first checkpoint at or
 * after the first changed entry; that checkpoint's entry is named, with the last one that agrees.
 */
/** A restore from backup, as the chain records it: the backup's last entry, and when it was restored. */
export interface RestorePoint {
  readonly backupSeq: number;
  readonly at: Date;
}

export function compareWithPublished(
  localHashes: ReadonlyMap<number, string>,
  chainEnd: number,
  published: readonly Vouched[],
  restores: readonly RestorePoint[] = [],
): ComparisonVerdict {
  // A restore replaces the chain after the backup's last entry: what was published of that discarded
  // history before the restore no longer describes this chain (the peers still hold it: the fork shows).
  const discarded = (c: Vouched) =>
    restores.some((r) => c.seq > r.backupSeq && c.at !== undefined && c.at.getTime() <= r.at.getTime());
  const sorted = published.filter((c) => !discarded(c)).sort((a, b) => a.seq - b.seq);
  const superseded = published.length - sorted.length;
  let lastAgreeing = 0;
  for (const c of sorted) {
    if (c.seq === 0) continue;
    const since = lastAgreeing > 0 ? `; entry ${lastAgreeing} still agrees with its checkpoint` : '';
    if (c.seq > chainEnd)
      return {
        ok: false,
        seq: c.seq,
        detail: `entry ${c.seq} was published in a checkpoint but the chain ends at ${chainEnd}${since}`,
      };
    const local = localHashes.get(c.seq);
    if (local !== c.hash)
      return {
        ok: false,
        seq: c.seq,
        detail: `entry ${c.seq} disagrees with the checkpoint published${c.at ? ` at ${c.at.toISOString()}` : ''} (hash ${(local ?? 'missing').slice(0, 12)}… here, ${c.hash.slice(0, 12)}… published): the chain was rewritten at or before it${since}`,
      };
    lastAgreeing = c.seq;
  }
  return {
    ok: true,
    checkpoints: sorted.length,
    lastSeq: lastAgreeing,
    ...(superseded ? { superseded } : {}),
  };
}

/**
 * A peer's checkpoints held here against what the peer presents now on the trust topic: every one
 * held must still be presented with the same hash, and the peer must never present two hashes for
 * one entry. Names the first entry that differs.
 */
export function compareHeldWithPresented(
  held: readonly Vouched[],
  presented: readonly Vouched[],
): ComparisonVerdict {
  const byseq = new Map<number, Set<string>>();
  for (const p of presented) byseq.set(p.seq, new Set([...(byseq.get(p.seq) ?? []), p.hash]));
  const problems: { seq: number; detail: string }[] = [];
  for (const [seq, hashes] of byseq)
    if (hashes.size > 1)
      problems.push({ seq, detail: `entry ${seq} is presented with ${hashes.size} different hashes` });
  for (const h of held) {
    const hashes = byseq.get(h.seq);
    if (!hashes) problems.push({ seq: h.seq, detail: `entry ${h.seq} held here is no longer presented` });
    else if (!hashes.has(h.hash))
      problems.push({
        seq: h.seq,
        detail: `entry ${h.seq} is presented with hash ${[...hashes][0]?.slice(0, 12) ?? ''}…, but ${h.hash.slice(0, 12)}… is held here`,
      });
  }
  problems.sort((a, b) => a.seq - b.seq);
  const first = problems[0];
  if (first) return { ok: false, ...first };
  return { ok: true, checkpoints: held.length, lastSeq: Math.max(0, ...held.map((h) => h.seq)) };
}
