/**
 * The receiving half of the hand-rolled "Kafka DIY" peer: kafkajs + jose + pg and nothing else.
 * Consumes signed messages, verifies each signature, stores each message once
 * (INSERT … ON CONFLICT DO NOTHING) and answers each with a signed receipt. It does the honest
 * minimum and no more: no schema validation, no agreement or purpose check, no encryption, no audit
 * chain, no expiry, no dead-letter handling (a record whose signature fails is skipped and counted).
 * The bench bundles it into dist/bench-diy/ and starts it with its configuration file as argument.
 */
import { createHash } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { Pool } from 'pg';
import { type DiyCommand, type DiyReport, diyKafka, diyKeys, readDiyConfig } from './diy-peer.config';

const config = readDiyConfig(process.argv[2]);
const report = (r: DiyReport) => process.send?.(r);
const text = new TextDecoder();
const bytes = new TextEncoder();

async function main(): Promise<void> {
  const keys = await diyKeys(config);
  const db = new Pool({ connectionString: config.databaseUrl, max: 2 });
  await db.query(`create table if not exists received (
    id uuid primary key, sender text not null, jws text not null,
    received_at timestamptz not null default clock_timestamp())`);
  const kafka = diyKafka(config, 'diy-receiver');
  // The nodes' producer settings: idempotent, acks from all in-sync replicas, one request in flight.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${config.topics.messages}.receiver` });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: config.topics.messages, fromBeginning: true });
  const joined = new Promise((r) => consumer.on(consumer.events.GROUP_JOIN, r));
  let refused = 0;

  // One batch, one INSERT and one produce; offsets are committed after it (kafkajs's default), so a
  // crash redelivers the batch: the insert ignores what it stored already and the receipt goes again.
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const refusedBefore = refused;
      const ids: string[] = [];
      const senders: string[] = [];
      const records: string[] = [];
      const receipts: { key: string; value: string }[] = [];
      for (const m of batch.messages) {
        const jws = m.value?.toString('utf8') ?? '';
        let message: { id: string; from: string };
        try {
          message = JSON.parse(text.decode((await compactVerify(jws, keys.peer)).payload)) as typeof message;
        } catch {
          refused++;
          continue;
        }
        ids.push(message.id);
        senders.push(message.from);
        records.push(jws);
        const receipt = JSON.stringify({
          messageId: message.id,
          digest: createHash('sha256').update(jws).digest('base64url'),
          receivedAt: new Date().toISOString(),
        });
        const signed = await new CompactSign(bytes.encode(receipt))
          .setProtectedHeader({ alg: 'EdDSA' })
          .sign(keys.own);
        receipts.push({ key: message.id, value: signed });
      }
      if (ids.length > 0) {
        await db.query(
          `insert into received (id, sender, jws)
           select * from unnest($1::uuid[], $2::text[], $3::text[]) on conflict (id) do nothing`,
          [ids, senders, records],
        );
        await producer.send({ topic: config.topics.receipts, acks: -1, messages: receipts });
      }
      if (refused > refusedBefore) report({ refused });
    },
  });
  await joined;
  report({ ready: true });
  process.on('message', (command: DiyCommand) => {
    if ('stop' in command)
      void Promise.allSettled([consumer.disconnect(), producer.disconnect()])
        .then(() => db.end())
        .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `diy receiver: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
