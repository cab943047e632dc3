import { EXAMPLE_PAYLOADS, MessageType, type PartyId } from '@app/contracts';
import type { TestNetwork } from './test-network';
import { waitFor } from './wait-for';

export interface Sent {
  readonly from: PartyId;
  readonly to: PartyId;
  readonly id: string;
}

export interface Figures {
  readonly sent: number;
  readonly delivered: number;
  /** Deliveries of a record the receiver already had: absorbed by the idempotent inbox. */
  readonly duplicatesAbsorbed: number;
  /** Accepted for sending but not in the recipient's inbox, or not `delivered` at the sender. */
  readonly lost: number;
  /** Rows in a recipient's inbox that no accepted submission accounts for. */
  readonly unexpected: number;
}

/**
 * Submits `count` assistance requests per route over REST, `concurrency` at a time. A request the
 * node answers with 5xx (its database restarting, say) is retried: only a 202 counts as accepted.
 */
export async function sendMany(
  network: TestNetwork,
  routes: readonly { from: PartyId; to: PartyId; count: number }[],
  options: { concurrency?: number; afterEach?: (sentSoFar: number) => Promise<void> | void } = {},
): Promise<Sent[]> {
  const jobs = routes.flatMap((r) => Array.from({ length: r.count }, (_, i) => ({ ...r, i })));
  const sent: Sent[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const payload = {
        ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
        caseReference: `F-${job.from}-${job.i}`,
      };
      for (let attempt = 0; ; attempt++) {
        const res = await network
          .node(job.from)
          .api.submit({ type: 'AssistanceRequest', to: job.to, purpose: 'trafficking', payload })
          .catch(() => undefined);
        if (res?.status === 202) {
          sent.push({ from: job.from, to: job.to, id: res.body.id });
          break;
        }
        if (res && res.status < 500)
          throw new Error(`submission refused: ${res.status} ${JSON.stringify(res.body)}`);
        if (attempt > 600) throw new Error('the node did not accept a submission for 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      await options.afterEach?.(sent.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return sent;
}

/** Waits until every sent message is settled at its sender, then counts what arrived where. */
export async function settleAndCount(
  network: TestNetwork,
  sent: readonly Sent[],
  timeoutMs = 180_000,
): Promise<Figures> {
  const bySender = group(sent, (s) => s.from);
  await waitFor(
    `all ${sent.length} messages settled`,
    async () => {
      for (const [from, list] of bySender) {
        const rows = await network
          .node(from)
          .db.query<{ n: string }>(
            `select count(*)::text as n from outbound_messages where id = any($1::uuid[]) and status in ('delivered', 'rejected', 'failed')`,
            [list.map((s) => s.id)],
          );
        if (Number(rows[0]?.n) !== list.length) return false;
      }
      return true;
    },
    { timeoutMs, intervalMs: 500 },
  );
  let delivered = 0;
  let lost = 0;
  let unexpected = 0;
  let duplicatesAbsorbed = 0;
  for (const [to, list] of group(sent, (s) => s.to)) {
    const db = network.node(to).db;
    const stored = await db.query<{ id: string }>('select id::text as id from inbox_messages');
    const storedIds = new Set(stored.map((r) => r.id));
    const expected = new Set(list.map((s) => s.id));
    lost += list.filter((s) => !storedIds.has(s.id)).length;
    unexpected += stored.filter((r) => !expected.has(r.id)).length;
    duplicatesAbsorbed += await duplicatesSeen(network, to);
  }
  for (const [from, list] of bySender) {
    const rows = await network.node(from).db.query<{ n: string }>(
      `select count(*)::text as n from outbound_messages o join receipts r on r.direction = 'received' and r.message_id = o.id
        where o.id = any($1::uuid[]) and o.status = 'delivered' and r.outcome = 'ACCEPTED'`,
      [list.map((s) => s.id)],
    );
    delivered += Number(rows[0]?.n);
  }
  lost = Math.max(lost, sent.length - delivered);
  return { sent: sent.length, delivered, duplicatesAbsorbed, lost, unexpected };
}

/** One line of the fault-test table, printed so a CI log shows the figures. */
export function report(test: string, fault: string, f: Figures, ms: number): void {
  process.stdout.write(
    `\n| ${test} | ${fault} | sent ${f.sent} | delivered ${f.delivered} | duplicates absorbed ${f.duplicatesAbsorbed} | lost ${f.lost} | unexpected ${f.unexpected} | ${(ms / 1000).toFixed(1)} s |\n`,
  );
}

/** Inbound records the node judged DUPLICATE, from its own metrics (the same count /metrics exposes). */
async function duplicatesSeen(network: TestNetwork, party: PartyId): Promise<number> {
  // From /metrics, which in-process and process nodes serve alike.
  const text = await (await fetch(`${network.node(party).url}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('puente_messages_total{') &&
        l.includes('direction="inbound"') &&
        l.includes('outcome="DUPLICATE"'),
    )
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

function group<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
