import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNodeTool } from '../support/node-tool';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

interface Operator {
  operatorId: string;
  name: string;
  address: { street: string; city: string; postalCode?: string; country: string };
  country: string;
  status: string;
  statusDate: string;
  validationDate: string;
  consent: boolean;
}

/** sv-dga's programme: 500 operators, every 50th suspended, every 13th (from the 5th) without consent. */
function programme(): Operator[] {
  return Array.from({ length: 500 }, (_, i) => ({
    operatorId: `SV-OEA-${String(i).padStart(4, '0')}`,
    name: `Exportadora Sintética ${i} S.A. de C.V.`,
    address: { street: `Calle ${i}, Zona Franca`, city: 'San Bartolo', postalCode: '1101', country: 'SV' },
    country: 'SV',
    status: i % 50 === 0 ? 'AEO_STATUS_SUSPENDED' : 'AEO_STATUS_VALID',
    statusDate: '2026-03-01',
    validationDate: '2026-02-14',
    consent: i % 13 !== 5,
  }));
}

interface RegistryRow {
  provider: string;
  operatorId: string;
  status: string;
}

/**
 * AEO mutual recognition between sv-dga and us-cbp: sv-dga's programme syncs whole, then as a delta;
 * us-cbp's registry holds exactly the consenting operators with their statuses; queries are answered
 * from the programme, and an operator without consent never leaves sv-dga.
 */
describe('2600 AEO status exchange under a mutual recognition arrangement', () => {
  let network: TestNetwork;
  let file: string;
  const operators = programme();
  const write = (list: Operator[]) =>
    writeFileSync(file, JSON.stringify({ programme: 'SV-OEA', operators: list }));

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      beforeNodes: (dir) => {
        file = join(dir, 'sv-oea.json');
        write(operators);
      },
      envFor: (party, dir) =>
        party === 'sv-dga'
          ? { PUENTE_AEO_OPERATORS_FILE: join(dir, 'sv-oea.json'), PUENTE_AEO_SYNC_INTERVAL_SECONDS: '0' }
          : undefined,
    });
  });
  afterAll(() => network?.stop());

  /** us-cbp's whole registry, through its API, page by page. */
  const registry = async (): Promise<Map<string, RegistryRow>> => {
    const cbp = network.node('us-cbp');
    const rows = new Map<string, RegistryRow>();
    let after: string | undefined;
    for (;;) {
      const res = await fetch(
        `${cbp.url}/v1/aeo/operators?limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        { headers: { authorization: `Bearer ${cbp.tokens.officer}` } },
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as { operators: RegistryRow[]; next?: string };
      for (const r of page.operators) rows.set(r.operatorId, r);
      if (!page.next) return rows;
      after = page.next;
    }
  };
  const syncNow = async () => {
    const dga = network.node('sv-dga');
    const res = await fetch(`${dga.url}/v1/aeo/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dga.tokens.admin}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { partners: Record<string, unknown>[] }).partners;
  };

  it('syncs the consenting operators whole, then the changes only', async () => {
    const dga = network.node('sv-dga');
    const consenting = operators.filter((o) => o.consent);
    const withoutConsent = operators.length - consenting.length;
    expect(consenting.length).toBeGreaterThan(400);
    expect(consenting.length).toBeLessThan(500);

    // The first sync, as an operator would start it.
    const first = await runNodeTool(dga, 'tools/aeo/sync-now.ts', [], {
      PUENTE_NODE_URL: dga.url,
      PUENTE_ADMIN_TOKEN: dga.tokens.admin,
    });
    process.stdout.write(`\n2600 ${first.out.trim()}\n`);
    expect(first.out).toContain(
      `SV-OEA → us-cbp: FULL, ${consenting.length} operators, 0 withdrawn, ${withoutConsent} without consent not sent`,
    );
    expect(first.code).toBe(0);

    const held = await waitFor('us-cbp to hold the consenting operators', async () => {
      const rows = await registry();
      return rows.size === consenting.length ? rows : undefined;
    });
    for (const o of consenting)
      expect(held.get(o.operatorId)).toMatchObject({ provider: 'sv-dga', status: o.status });
    for (const o of operators.filter((x) => !x.consent)) expect(held.has(o.operatorId)).toBe(false);
    expect([...held.values()].filter((r) => r.status === 'AEO_STATUS_SUSPENDED').length).toBe(
      consenting.filter((o) => o.status === 'AEO_STATUS_SUSPENDED').length,
    );

    // Nothing changed: nothing is sent.
    expect(await syncNow()).toEqual([
      expect.objectContaining({ partner: 'us-cbp', kind: 'none', operatorsSent: 0 }),
    ]);

    // One suspended, one revoked, one new, one withdrawing its consent.
    const [suspended, revoked, withdrawing] = [consenting[1]!, consenting[2]!, consenting[3]!];
    const changed = operators.map((o) =>
      o === suspended
        ? { ...o, status: 'AEO_STATUS_SUSPENDED', statusDate: '2026-11-29' }
        : o === revoked
          ? { ...o, status: 'AEO_STATUS_REVOKED', statusDate: '2026-11-29' }
          : o === withdrawing
            ? { ...o, consent: false }
            : o,
    );
    const added: Operator = { ...consenting[0]!, operatorId: 'SV-OEA-9000', name: 'Nueva Exportadora S.A.' };
    write([...changed, added]);
    const [delta] = await syncNow();
    expect(delta).toMatchObject({ kind: 'DELTA', operatorsSent: 3, withdrawn: 1 });
    const deltaId = (delta!.messageIds as string[])[0]!;
    const received = await waitFor('the delta at us-cbp', async () => {
      const res = await network.node('us-cbp').api.withPurpose('aeo-mutual-recognition').message(deltaId);
      return res.status === 200 ? res.body : undefined;
    });
    expect(received.payload).toMatchObject({
      kind: 'SYNC_KIND_DELTA',
      sequence: 2,
      withdrawnOperatorIds: [withdrawing.operatorId],
    });
    expect((received.payload.operators as Operator[]).map((o) => o.operatorId).sort()).toEqual(
      [suspended.operatorId, revoked.operatorId, added.operatorId].sort(),
    );

    const after = await waitFor('the delta applied', async () => {
      const rows = await registry();
      return rows.has(added.operatorId) && !rows.has(withdrawing.operatorId) ? rows : undefined;
    });
    expect(after.size).toBe(consenting.length);
    expect(after.get(suspended.operatorId)?.status).toBe('AEO_STATUS_SUSPENDED');
    expect(after.get(revoked.operatorId)?.status).toBe('AEO_STATUS_REVOKED');

    const cbp = network.node('us-cbp');
    const detail = await fetch(`${cbp.url}/v1/aeo/operators/${revoked.operatorId}`, {
      headers: { authorization: `Bearer ${cbp.tokens.officer}` },
    });
    expect(detail.status).toBe(200);
    const history = ((await detail.json()) as { history: { status: string }[] }).history.map((h) => h.status);
    expect(history).toEqual(['AEO_STATUS_VALID', 'AEO_STATUS_REVOKED']);
    const gone = await fetch(`${cbp.url}/v1/aeo/operators/${withdrawing.operatorId}`, {
      headers: { authorization: `Bearer ${cbp.tokens.officer}` },
    });
    expect(
      ((await gone.json()) as { current: unknown[]; history: { status: string }[] }).history.at(-1)?.status,
    ).toBe('WITHDRAWN');
  });

  it('answers queries from the programme, and never sends an operator without consent', async () => {
    const cbp = network.node('us-cbp');
    const dga = network.node('sv-dga');
    const ask = async (operatorId: string) => {
      const q = await cbp.api.submit({
        type: 'AeoStatusQuery',
        to: 'sv-dga',
        purpose: 'aeo-mutual-recognition',
        payload: { programme: 'SV-OEA', operatorId },
      });
      expect(q.status).toBe(202);
      const answered = await waitFor(`the answer to ${operatorId}`, async () => {
        const res = await cbp.api.withPurpose('aeo-mutual-recognition').message(q.body.id);
        const reply = res.body.replies?.[0];
        return reply ? reply : undefined;
      });
      return answered.payload as { outcome: string; operator?: Operator };
    };
    const found = await ask('SV-OEA-0010');
    expect(found).toMatchObject({
      outcome: 'AEO_ANSWER_OUTCOME_FOUND',
      operator: { operatorId: 'SV-OEA-0010' },
    });
    const noConsent = await ask('SV-OEA-0005');
    expect(noConsent.outcome).toBe('AEO_ANSWER_OUTCOME_CONSENT_MISSING');
    expect(noConsent.operator).toBeUndefined();
    expect(await ask('SV-OEA-7777')).toEqual(
      expect.objectContaining({ outcome: 'AEO_ANSWER_OUTCOME_UNKNOWN_OPERATOR' }),
    );

    // An officer trying to send an operator without consent by hand is refused, and nothing leaves.
    const [before] = await dga.db.query<{ n: string }>('select count(*)::text as n from outbound_messages');
    const sync = await dga.api.submit({
      type: 'AeoStatusSync',
      to: 'us-cbp',
      purpose: 'aeo-mutual-recognition',
      payload: {
        programme: 'SV-OEA',
        kind: 'SYNC_KIND_DELTA',
        sequence: 99,
        asOf: new Date().toISOString(),
        operators: [{ ...operators[5]!, consent: false }],
      },
    });
    expect(sync.status).toBe(403);
    expect(sync.body).toMatchObject({ code: 'CONSENT_MISSING', rule: 'payload.operators[0].consent' });
    expect(JSON.stringify(sync.body)).not.toContain(operators[5]!.name);
    const [after] = await dga.db.query<{ n: string }>('select count(*)::text as n from outbound_messages');
    expect(after).toEqual(before);
  });
});
