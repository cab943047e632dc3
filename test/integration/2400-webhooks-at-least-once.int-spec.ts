import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_PAYLOADS, MessageType, type PartyId } from '@app/contracts';
import { type Sent, sendMany, settleAndCount } from '../support/fault-run';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';
import { type Delivery, WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(420_000);

// The secret is the file's text (as an operator generates it: `openssl rand -base64 32`), used as bytes.
const secret = () => Buffer.from(randomBytes(32).toString('base64url'));
const SECRETS = new Map([
  ['dga-cases', secret()],
  ['cbp-cases', secret()],
  ['dga-silent', secret()],
]);

/**
 * Back-office webhooks over a 500-message exchange with 50 answers: a receiver that checks signatures
 * and fails its first three deliveries gets every event of both nodes — at least once, exactly the
 * expected set once de-duplicated by event id, in order — although the receiving node is killed
 * (SIGKILL) and restarted in the middle; an endpoint that never answers ends in dead letters, shown
 * in /health and /metrics.
 */
describe('2400 webhooks: at least once, signed, in order, dead letters visible', () => {
  let network: TestNetwork;
  let receiver: WebhookReceiver;
  let silent: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start(SECRETS, { failFirst: 3 });
    silent = await WebhookReceiver.start(SECRETS, { silent: true });
    const endpointsFile = (party: PartyId, dir: string): string => {
      const ids = party === 'sv-dga' ? ['dga-cases', 'dga-silent'] : ['cbp-cases'];
      const endpoints = ids.map((id) => {
        const secretFile = join(dir, `${id}.secret`);
        writeFileSync(secretFile, `${SECRETS.get(id)?.toString() ?? ''}\n`, { mode: 0o600 });
        return {
          id,
          url: (id === 'dga-silent' ? silent : receiver).url(id),
          secretFile,
          events: [
            'message.received',
            'reply.received',
            'message.delivered',
            'message.rejected',
            'message.failed',
          ],
        };
      });
      const file = join(dir, `${party}.webhooks.json`);
      writeFileSync(file, JSON.stringify({ endpoints }));
      return file;
    };
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      asProcesses: ['us-cbp'],
      env: {
        PUENTE_EVENTS_POLL_MS: '50',
        PUENTE_WEBHOOK_BACKOFF_MS: '50',
        PUENTE_WEBHOOK_MAX_BACKOFF_MS: '400',
        PUENTE_WEBHOOK_MAX_ATTEMPTS: '5',
        PUENTE_WEBHOOK_TIMEOUT_MS: '300',
      },
      envFor: (party, dir) => ({ PUENTE_WEBHOOKS_FILE: endpointsFile(party, dir) }),
    });
  });
  afterAll(async () => {
    await network?.stop();
    await receiver?.stop();
    await silent?.stop();
  });

  it('delivers every event of a 500-message exchange across a restart of the receiving node', async () => {
    const cbp = network.node('us-cbp');
    const proc = cbp.process;
    if (!proc) throw new Error('us-cbp runs as a process');
    let killed = false;
    const sent = await sendMany(network, [{ from: 'sv-dga', to: 'us-cbp', count: 500 }], {
      afterEach: async (n) => {
        if (n < 200 || killed) return;
        killed = true;
        await proc.kill();
        await proc.start();
      },
    });
    expect(killed).toBe(true);
    const figures = await settleAndCount(network, sent, 240_000);
    expect(figures).toMatchObject({ sent: 500, delivered: 500, lost: 0 });

    const answered = sent.slice(0, 50);
    const replies: Sent[] = [];
    for (const request of answered) {
      const answer = await cbp.api.submit({
        type: 'AssistanceResponse',
        to: 'sv-dga',
        purpose: 'trafficking',
        inReplyTo: request.id,
        payload: EXAMPLE_PAYLOADS[MessageType.AssistanceResponse],
      });
      expect(answer.status).toBe(202);
      replies.push({ from: 'us-cbp', to: 'sv-dga', id: answer.body.id });
    }
    await settleAndCount(network, replies, 120_000);

    const expected = {
      'dga-cases': new Set([
        ...sent.map((s) => `message.delivered ${s.id}`),
        ...replies.map((r) => `reply.received ${r.id}`),
      ]),
      'cbp-cases': new Set([
        ...sent.map((s) => `message.received ${s.id}`),
        ...replies.map((r) => `message.delivered ${r.id}`),
      ]),
    };
    const facts = (endpoint: string) =>
      new Set(
        receiver.accepted
          .filter((d) => d.endpoint === endpoint)
          .map((d) => `${d.body.type} ${d.body.data.messageId}`),
      );
    await waitFor(
      'every event at the receiver',
      () =>
        facts('dga-cases').size === expected['dga-cases'].size &&
        facts('cbp-cases').size === expected['cbp-cases'].size,
      { timeoutMs: 120_000, intervalMs: 250 },
    ).catch(async (error: unknown) => {
      const state: unknown[] = [];
      const missingIds = [...expected['dga-cases']]
        .filter((f) => !facts('dga-cases').has(f))
        .map((f) => f.split(' ')[1]);
      state.push(
        'missing dga seqs',
        (
          await network
            .node('sv-dga')
            .db.query<{ seq: string }>(
              `select seq::text as seq from node_events where data->>'messageId' = any($1::text[]) order by seq`,
              [missingIds],
            )
        )
          .map((r) => r.seq)
          .join(','),
        'dga deliveries',
        receiver.accepted.filter((d) => d.endpoint === 'dga-cases').length,
        'endpoints seen',
        [...new Set(receiver.accepted.map((d) => d.endpoint))],
      );
      for (const party of ['sv-dga', 'us-cbp'] as const) {
        const db = network.node(party).db;
        state.push(
          party,
          await db.query(
            `select type, count(*)::int as n, max(seq)::text as max from node_events group by type`,
          ),
          await db.query(`select * from webhook_cursors`),
          await db.query(
            `select endpoint_id, count(*)::int as n, min(last_error) as e from webhook_dead_letters group by endpoint_id`,
          ),
        );
      }
      const missing = (endpoint: 'dga-cases' | 'cbp-cases') =>
        [...expected[endpoint]].filter((f) => !facts(endpoint).has(f));
      const summary = (['dga-cases', 'cbp-cases'] as const).map(
        (e) =>
          `${e}: ${facts(e).size}/${expected[e].size}, missing e.g. ${missing(e).slice(0, 3).join(', ')}`,
      );
      throw new Error(
        `${String(error)}; ${summary.join('; ')}; requests ${receiver.requests}; ${JSON.stringify(state)}`,
      );
    });
    expect(receiver.failures).toBe(3);
    expect(receiver.accepted.filter((d) => !d.signatureValid)).toHaveLength(0);
    for (const endpoint of ['dga-cases', 'cbp-cases'] as const) {
      const deliveries = receiver.accepted.filter((d) => d.endpoint === endpoint);
      const byId = new Map<string, Delivery>();
      for (const d of deliveries) {
        expect(d.headerEventId).toBe(d.body.id);
        const seen = byId.get(d.body.id);
        // A redelivery is the same event: same type, message and sequence.
        if (seen) expect(d.body).toEqual(seen.body);
        else byId.set(d.body.id, d);
      }
      const unique = [...byId.values()];
      expect(new Set(unique.map((d) => `${d.body.type} ${d.body.data.messageId}`))).toEqual(
        expected[endpoint],
      );
      // One event per fact: de-duplicated by id, exactly the expected set.
      expect(unique).toHaveLength(expected[endpoint].size);
      // In order: first arrivals follow the node's event sequence.
      const sequences = unique.map((d) => BigInt(d.body.sequence));
      expect(sequences.every((s, i) => i === 0 || s > (sequences[i - 1] ?? 0n))).toBe(true);
    }
    // Per message: the request delivered before its answer arrived, at the requesting node.
    const dga = receiver.accepted.filter((d) => d.endpoint === 'dga-cases');
    for (const request of answered) {
      const delivered = dga.findIndex(
        (d) => d.body.type === 'message.delivered' && d.body.data.messageId === request.id,
      );
      const reply = dga.findIndex(
        (d) => d.body.type === 'reply.received' && d.body.data.inReplyTo === request.id,
      );
      expect(delivered).toBeGreaterThanOrEqual(0);
      expect(reply).toBeGreaterThan(delivered);
    }
    // Metadata only: no payload value reaches a webhook.
    const bodies = JSON.stringify(receiver.accepted.map((d) => d.body));
    expect(bodies).not.toContain('F-sv-dga-');
    expect(bodies).not.toContain('payload');
  });

  it('sets aside what a never-answering endpoint does not take, visibly in /health and /metrics', async () => {
    const dga = network.node('sv-dga');
    type Health = {
      webhooks?: Record<string, { deadLetters: number; pending: number; failedAttempts: number }>;
    };
    const health = await waitFor(
      'a dead letter for dga-silent',
      async () => {
        const h = await dga.api.get<Health>('/health');
        return (h.body.webhooks?.['dga-silent']?.deadLetters ?? 0) >= 1 ? h : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(health.status).toBe(200); // a back-office receiver being down does not make the node unready
    expect(health.body.webhooks?.['dga-cases']).toMatchObject({ deadLetters: 0, pending: 0 });
    const metrics = await (await fetch(`${dga.url}/metrics`)).text();
    const line = metrics
      .split('\n')
      .find((l) => l.startsWith('puente_webhook_dead_letters{') && l.includes('endpoint="dga-silent"'));
    expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(
      /puente_webhook_deliveries_total\{[^}]*endpoint="dga-silent"[^}]*outcome="dead-letter"[^}]*\} [1-9]/,
    );
    expect(silent.accepted).toHaveLength(0);
  });
});
