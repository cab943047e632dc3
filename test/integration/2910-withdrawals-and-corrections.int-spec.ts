import { randomBytes } from 'node:crypto';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import type { Db } from '@app/persistence';
import { TestNetwork, type TestNode } from '../support/test-network';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

interface AmendmentBody {
  kind: string;
  noticeId: string;
  recipient: string;
  status: string;
  confirmed: boolean;
  confirmationId?: string;
}

/** Every row of every table of a node's database, as text: where a payload could still hide. */
async function everyRow(db: Db): Promise<string> {
  const tables = await db.query<{ t: string }>(
    "select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const rows = await db.query<{ r: string }>(`select t::text as r from "${t}" t`);
    parts.push(...rows.map((x) => x.r));
  }
  return parts.join('\n');
}

/**
 * sv-dga withdraws spontaneous information it sent to us-cbp and us-ice: both apply it and confirm,
 * signed; sv-dga sees both confirmations; the payload is gone from both databases. Only the provider
 * may withdraw or correct; a correction replaces the payload (the CMAA keeps no superseded version).
 */
describe('2910 withdrawals and corrections propagate to every recipient', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp', 'us-ice'] });
  });
  afterAll(() => network?.stop());

  /** sv-dga sends `payload` as spontaneous information to `to`, delivered. */
  const sendDelivered = async (to: string, payload: Record<string, unknown>): Promise<string> => {
    const dga = network.node('sv-dga');
    const sent = await dga.api.submit({
      type: 'SpontaneousInformation',
      to,
      purpose: 'duty-evasion',
      payload,
    });
    expect(sent.status).toBe(202);
    await waitFor(
      `delivery to ${to}`,
      async () => (await dga.api.message(sent.body.id)).body.status === 'delivered',
    );
    return sent.body.id;
  };
  const amendmentsOf = async (id: string) =>
    (await network.node('sv-dga').api.get<{ amendments?: AmendmentBody[] }>(`/v1/messages/${id}`)).body
      .amendments ?? [];

  it('withdraws at both recipients, each confirms, and the payload is gone from both inboxes', async () => {
    const dga = network.node('sv-dga');
    const secret = `Withdrawn-${randomBytes(6).toString('hex')}`;
    const payload = {
      ...EXAMPLE_PAYLOADS[MessageType.SpontaneousInformation],
      summary: `${secret}: undervaluation.`,
    };
    const toCbp = await sendDelivered('us-cbp', payload);
    const toIce = await sendDelivered('us-ice', payload);
    const recipients: [TestNode, string][] = [
      [network.node('us-cbp'), toCbp],
      [network.node('us-ice'), toIce],
    ];
    for (const [node] of recipients) expect(await everyRow(node.db)).toContain(secret);

    // A recipient cannot withdraw what it received.
    const notMine = await network.node('us-cbp').api.post<Record<string, unknown>>('/v1/withdrawals', {
      messages: [toCbp],
      reason: 'not mine to withdraw',
    });
    expect(notMine.status).toBe(403);
    expect(notMine.body).toMatchObject({ code: 'NOT_ORIGINAL_SENDER' });

    const withdrawn = await dga.api.post<{ notices: { id: string; messageId: string; recipient: string }[] }>(
      '/v1/withdrawals',
      { messages: [toCbp, toIce], reason: 'The trader was cleared.' },
    );
    expect(withdrawn.status).toBe(202);
    expect(withdrawn.body.notices.map((n) => [n.messageId, n.recipient])).toEqual([
      [toCbp, 'us-cbp'],
      [toIce, 'us-ice'],
    ]);

    // sv-dga sees each recipient's signed confirmation.
    for (const [node, id] of recipients) {
      const [confirmed] = await waitFor(`${node.party} to confirm`, async () => {
        const list = await amendmentsOf(id);
        return list[0]?.confirmed ? list : undefined;
      });
      expect(confirmed).toMatchObject({
        kind: 'withdrawal',
        recipient: node.party,
        status: 'delivered',
        confirmed: true,
      });
      // The confirmation is a message sv-dga received, signed by the recipient, with an accepted receipt.
      const confirmation = await dga.api.message(confirmed!.confirmationId!);
      expect(confirmation.body).toMatchObject({
        type: MessageType.AmendmentConfirmation,
        from: node.party,
        receipt: { outcome: 'ACCEPTED' },
        payload: { concernsMessageId: id, applied: 'AMENDMENT_APPLIED_WITHDRAWN' },
      });
    }

    // At each recipient: a marker, no payload, no signed record holding it — anywhere in the database.
    for (const [node, id] of recipients) {
      const view = await node.api.get<{ payload: unknown; amendment?: { amendment: string } }>(
        `/v1/messages/${id}`,
      );
      expect(view.body.payload).toEqual({});
      expect(view.body.amendment).toMatchObject({ amendment: 'withdrawn' });
      const rows = await node.db.query<{ record_value: string | null }>(
        'select record_value from inbox_messages where id = $1',
        [id],
      );
      // The signed record is kept in its detached form only: header..signature, no payload.
      expect(rows[0]?.record_value).toMatch(/^[\w-]+\.\.[\w-]+$/);
      expect(await everyRow(node.db)).not.toContain(secret);
    }

    // Withdrawn is final: not again, not forwarded, not corrected.
    const again = await dga.api.post<Record<string, unknown>>('/v1/withdrawals', {
      messages: [toCbp],
      reason: 'again',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'MESSAGE_WITHDRAWN' });
    const forwarded = await network
      .node('us-ice')
      .api.post<Record<string, unknown>>(`/v1/messages/${toIce}/forward`, { to: 'us-cbp' });
    expect(forwarded.body).toMatchObject({ code: 'MESSAGE_WITHDRAWN' });
  });

  it('corrects: the recipient holds the replacement only, and confirms', async () => {
    const dga = network.node('sv-dga');
    const cbp = network.node('us-cbp');
    const old = `Superseded-${randomBytes(6).toString('hex')}`;
    const original = {
      ...EXAMPLE_PAYLOADS[MessageType.SpontaneousInformation],
      summary: `${old}: ten entries.`,
    };
    const id = await sendDelivered('us-cbp', original);
    const replacement = { ...original, summary: 'Two entries only.', reliability: 'RELIABILITY_CONFIRMED' };

    const invalid = await dga.api.post<Record<string, unknown>>('/v1/corrections', {
      messages: [id],
      reason: 'fewer entries',
      replacement: { ...replacement, reliability: 'NOT_A_RELIABILITY' },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ code: 'SCHEMA_INVALID', rule: 'replacement.reliability' });

    const corrected = await dga.api.post<Record<string, unknown>>('/v1/corrections', {
      messages: [id],
      reason: 'fewer entries',
      replacement,
    });
    expect(corrected.status).toBe(202);
    await waitFor('us-cbp to confirm the correction', async () => (await amendmentsOf(id))[0]?.confirmed);
    const view = await cbp.api.get<{
      payload: unknown;
      amendment?: { amendment: string; supersededVersions: number };
    }>(`/v1/messages/${id}`);
    expect(view.body.payload).toEqual(replacement);
    expect(view.body.amendment).toMatchObject({ amendment: 'corrected', supersededVersions: 0 });
    expect(await everyRow(cbp.db)).not.toContain(old);
  });
});
