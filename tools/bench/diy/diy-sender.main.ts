/**
 * The sending half of the hand-rolled "Kafka DIY" peer: kafkajs + jose + pg and nothing else.
 * Signs each ~2 KB JSON message (compact JWS, Ed25519), keeps it as an outstanding row, produces it;
 * consumes the receiver's signed receipts, verifies them and settles the row (its latency is
 * settled_at − created_at, both PostgreSQL's clock). Nothing more: no schema validation, no
 * agreement check, no encryption, no audit, no redelivery of a message whose receipt never comes.
 * The bench bundles it into dist/bench-diy/ and starts it with its configuration file as argument;
 * `{run: n}` on the IPC channel sends n messages at full speed and answers once all are settled.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import { Pool } from 'pg';
import { type DiyCommand, type DiyReport, diyKafka, diyKeys, readDiyConfig } from './diy-peer.config';

const config = readDiyConfig(process.argv[2]);
const report = (r: DiyReport) => process.send?.(r);
const text = new TextDecoder();
const bytes = new TextEncoder();
/**
 * Messages signed, stored and produced together: the 64 the bench's driver keeps in flight against
 * a Puente node. The loop waits for each batch's acknowledgement before the next (one request in flight).
 */
const BATCH = 64;

async function main(): Promise<void> {
  const keys = await diyKeys(config);
  const db = new Pool({ connectionString: config.databaseUrl, max: 2 });
  await db.query(`create table if not exists outstanding (
    id uuid primary key, digest text not null,
    created_at timestamptz not null default clock_timestamp(), settled_at timestamptz)`);
  const kafka = diyKafka(config, 'diy-sender');
  // The nodes' producer settings: idempotent, acks from all in-sync replicas, one request in flight.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${config.topics.receipts}.sender` });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: config.topics.receipts, fromBeginning: true });
  const joined = new Promise((r) => consumer.on(consumer.events.GROUP_JOIN, r));
  let settled = 0;
  let refused = 0;
  let wake: () => void = () => undefined;

  // A receipt settles its row only if it names the digest of what was sent, and only once.
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const ids: string[] = [];
      const digests: string[] = [];
      for (const m of batch.messages) {
        try {
          const { payload } = await compactVerify(m.value?.toString('utf8') ?? '', keys.peer);
          const receipt = JSON.parse(text.decode(payload)) as { messageId: string; digest: string };
          ids.push(receipt.messageId);
          digests.push(receipt.digest);
        } catch {
          refused++;
        }
      }
      if (ids.length === 0) return;
      const { rowCount } = await db.query(
        `update outstanding o set settled_at = clock_timestamp()
         from unnest($1::uuid[], $2::text[]) as r(id, digest)
         where o.id = r.id and o.digest = r.digest and o.settled_at is null`,
        [ids, digests],
      );
      settled += rowCount ?? 0;
      wake();
    },
  });

  const sign = async (n: number) => {
    const id = randomUUID();
    const message = {
      id,
      from: 'sv-dga',
      to: 'us-cbp',
      type: 'AssistanceRequest',
      createdAt: new Date().toISOString(),
      payload: { ...config.payload, caseReference: `DIY-${n}` },
    };
    const jws = await new CompactSign(bytes.encode(JSON.stringify(message)))
      .setProtectedHeader({ alg: 'EdDSA' })
      .sign(keys.own);
    return { id, jws, digest: createHash('sha256').update(jws).digest('base64url') };
  };

  const run = async (count: number) => {
    const target = settled + count;
    let recordBytes = 0;
    for (let sent = 0; sent < count;) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(BATCH, count - sent) }, (_, i) => sign(sent + i)),
      );
      await db.query(`insert into outstanding (id, digest) select * from unnest($1::uuid[], $2::text[])`, [
        batch.map((m) => m.id),
        batch.map((m) => m.digest),
      ]);
      await producer.send({
        topic: config.topics.messages,
        acks: -1,
        messages: batch.map((m) => ({ key: m.id, value: m.jws })),
      });
      recordBytes = batch[0]?.jws.length ?? 0;
      sent += batch.length;
    }
    while (settled < target) await new Promise<void>((r) => (wake = r));
    report({ done: { sent: count, recordBytes } });
    if (refused > 0) report({ refused });
  };

  await joined;
  report({ ready: true });
  process.on('message', (command: DiyCommand) => {
    if ('run' in command) void run(command.run);
    else
      void Promise.allSettled([consumer.disconnect(), producer.disconnect()])
        .then(() => db.end())
        .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `diy sender: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
