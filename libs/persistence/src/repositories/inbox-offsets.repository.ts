import type { Queryable } from '../db/db';

export interface PartitionOffset {
  readonly partition: number;
  /** The next offset to read: every record before it is handled and its effects committed. */
  readonly offset: string;
}

/**
 * Where the inbox consumer resumes, per partition, kept beside the inbox rows. The consumer saves a
 * position only after the transactions of every record before it committed, and before it commits
 * the same position to the broker; so any snapshot of the database (a backup) holds positions no
 * further than the records it holds, and a node restored from it reads again what came after.
 */
export class InboxOffsetsRepository {
  constructor(private readonly db: Queryable) {}

  async load(topic: string): Promise<PartitionOffset[]> {
    const rows = await this.db.query<{ kafka_partition: number; next_offset: string }>(
      'select kafka_partition, next_offset::text as next_offset from inbox_offsets where topic = $1 order by kafka_partition',
      [topic],
    );
    return rows.map((r) => ({ partition: Number(r.kafka_partition), offset: r.next_offset }));
  }

  /** Moves each partition's position to `offset`; never backwards, so a late save cannot undo a newer one. */
  async save(topic: string, offsets: readonly PartitionOffset[], at: Date): Promise<void> {
    if (offsets.length === 0) return;
    await this.db.query(
      `insert into inbox_offsets (topic, kafka_partition, next_offset, saved_at)
       select $1, p, o, $4 from unnest($2::int[], $3::bigint[]) as t(p, o)
       on conflict (topic, kafka_partition) do update
         set next_offset = excluded.next_offset, saved_at = excluded.saved_at
         where inbox_offsets.next_offset < excluded.next_offset`,
      [topic, offsets.map((o) => o.partition), offsets.map((o) => o.offset), at],
    );
  }
}
