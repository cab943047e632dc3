import type { Admin, Kafka } from 'kafkajs';

/** Reads topic ends and committed offsets for metrics: consumer lag and topic depth (e.g. the DLQ). */
export class TopicProbe {
  private admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  /** Records on `topic` not yet committed by `groupId`, summed over partitions. */
  async lag(groupId: string, topic: string): Promise<number> {
    const admin = await this.connected();
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    return ends.reduce((sum, end) => {
      const done = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1');
      return sum + Number(end.high) - Math.max(done, Number(end.low));
    }, 0);
  }

  /** Records currently held by `topic` (high minus low watermark, summed). */
  async depth(topic: string): Promise<number> {
    const ends = await (await this.connected()).fetchTopicOffsets(topic);
    return ends.reduce((sum, end) => sum + Number(end.high) - Number(end.low), 0);
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
    this.admin = undefined;
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}
