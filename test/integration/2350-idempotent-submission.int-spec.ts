import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import type { SubmitBody } from '../support/test-api';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

jest.setTimeout(240_000);

/**
 * An agency's system retries a submission — after a timeout, twice at once, after the node was killed
 * between committing the message and answering — always with the same Idempotency-Key: the partner
 * receives exactly one message, every retry is answered with its id, and the key used with another
 * body is refused with 409 IDEMPOTENCY_KEY_REUSED.
 */
describe('2350 idempotent submission', () => {
  let network: TestNetwork;
  const submission = (caseReference: string) => ({
    type: 'AssistanceRequest',
    to: 'us-cbp',
    purpose: 'trafficking',
    payload: { ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest], caseReference },
  });

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'], asProcesses: ['sv-dga'] });
  });
  afterAll(() => network?.stop());

  it('sends one message for five submissions with one key, one of them cut off by SIGKILL after its commit', async () => {
    const dga = network.node('sv-dga');
    const proc = dga.process;
    if (!proc) throw new Error('sv-dga runs as a process');
    const key = 'case-2300-0001';
    const body = submission('IDEM-2300-1');

    // 1: the node commits the message and its key, and is killed before the client reads an answer.
    const first = dga.api.submitWithKey(body, key).then(
      (r) => r,
      () => undefined,
    );
    const committed = await waitFor(
      'the key committed with its message',
      async () =>
        (
          await dga.db.query<{ message_id: string }>(
            'select message_id::text as message_id from idempotency_keys where key = $1',
            [key],
          )
        )[0]?.message_id,
      { timeoutMs: 30_000, intervalMs: 2 },
    );
    await proc.kill();
    const cutOff = await first;
    // Killed right after the commit, the node has almost never answered; if it had, the answer is this id.
    if (cutOff) expect(cutOff.body.id).toBe(committed);
    await proc.start();

    // 2: the retry after the restart, 3 and 4 at once, 5 once more: all answered with the first id.
    const second = await dga.api.submitWithKey(body, key);
    const [third, fourth] = await Promise.all([
      dga.api.submitWithKey(body, key),
      dga.api.submitWithKey(body, key),
    ]);
    const fifth = await dga.api.submitWithKey(body, key);
    for (const answer of [second, third, fourth, fifth]) {
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ id: committed, conversationId: committed, status: 'queued' });
    }

    // The same key with another body: refused, and nothing is stored for it.
    const changed = await dga.api.submitWithKey(submission('IDEM-2300-other'), key);
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', rule: 'idempotencyKey' });

    const cbp = network.node('us-cbp');
    await waitFor('the partner to receive the message', async () => {
      const rows = await cbp.db.query<{ n: string }>(
        `select count(*)::text as n from inbox_messages where payload->>'caseReference' = 'IDEM-2300-1'`,
      );
      return rows[0]?.n === '1';
    });
    await waitFor(
      'the message delivered',
      async () => (await dga.api.message(committed)).body.status === 'delivered',
    );
    // Time for any second copy to arrive, had one been made.
    await new Promise((r) => setTimeout(r, 1_500));
    const atPartner = await cbp.db.query<{ id: string }>(
      `select id::text as id from inbox_messages where payload->>'caseReference' like 'IDEM-2300-%'`,
    );
    expect(atPartner.map((r) => r.id)).toEqual([committed]);
    const atSender = await dga.db.query<{ n: string }>(
      `select count(*)::text as n from outbound_messages where payload->>'caseReference' like 'IDEM-2300-%'`,
    );
    expect(atSender[0]?.n).toBe('1');
  });

  it('keys batch items the same way, per item, sharing the client’s keys with single submissions', async () => {
    const dga = network.node('sv-dga');
    const one = submission('IDEM-2300-batch-1');
    const two = submission('IDEM-2300-batch-2');
    const batch = await dga.api.post<{ results: (SubmitBody & { index: number; code?: string })[] }>(
      '/v1/messages/batch',
      {
        messages: [
          { ...one, idempotencyKey: 'batch-1' },
          { ...one, idempotencyKey: 'batch-1' },
          { ...two, idempotencyKey: 'batch-2' },
          { ...two, idempotencyKey: 'batch-1' },
          { ...two, idempotencyKey: 'not a key' },
        ],
      },
    );
    expect(batch.status).toBe(200);
    const [a, b, c, d, e] = batch.body.results;
    expect(a?.status).toBe('queued');
    expect(b?.id).toBe(a?.id);
    expect(c?.id).not.toBe(a?.id);
    expect(d).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(e).toMatchObject({ statusCode: 400, code: 'SCHEMA_INVALID', rule: 'messages[4].idempotencyKey' });

    // A single submission with a batch item's key is the same submission.
    const again = await dga.api.submitWithKey(one, 'batch-1');
    expect(again.body.id).toBe(a?.id);
  });

  it('refuses keys that are not 1 to 128 letters, digits, ., _, : or -', async () => {
    const dga = network.node('sv-dga');
    const body = submission('IDEM-2300-bad');
    for (const bad of ['', 'x'.repeat(129), 'white space', 'ключ', 'a,b', '../../etc']) {
      const answer = await dga.api.request<{ code: string; rule: string }>(
        'POST',
        '/v1/messages',
        JSON.stringify(body),
        { 'idempotency-key': encodeURIComponent(bad) === bad ? bad : bad.replace(/[^\x20-\x7e]/g, '?') },
      );
      expect([bad, answer.status, answer.body.code, answer.body.rule]).toEqual([
        bad,
        400,
        'SCHEMA_INVALID',
        'Idempotency-Key',
      ]);
    }
    const rows = await dga.db.query<{ n: string }>(
      `select count(*)::text as n from outbound_messages where payload->>'caseReference' = 'IDEM-2300-bad'`,
    );
    expect(rows[0]?.n).toBe('0');
  });
});
