import { AuditLogRepository, type Db } from '@app/persistence';
import { MaskingService } from '../../apps/exchange-node/src/personal-data/masking.service';
import { RetentionService } from '../../apps/exchange-node/src/passenger-risk/retention.service';
import { ManualClock } from '../support/manual-clock';
import {
  flaggedTravelers,
  flightQuery,
  syntheticTravelers,
  type TravelerJson,
  withAssessor,
} from '../support/passengers.fixture';
import type { MessageBody } from '../support/test-api';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

interface AccessEntry {
  seq: number;
  kind: string;
  messageId?: string;
  detail: Record<string, unknown>;
}
interface AccessPage {
  entries: AccessEntry[];
  next?: number;
}
interface AssessmentResult {
  travelerRef: string;
  outcome: string;
  reasonCodes?: string[];
}

const SCOPED_TOKEN = 'scoped-to-the-cmaa-token-0123456789';

/**
 * Issue 24, items 1–3, over the real broker and database: who may see a traveler's data, every read on
 * record, masking at ATS-G's maskAfterDays (a returning traveler still recognised), deletion at its
 * retentionDays, and four-eyes unmasking.
 */
describe('2850 personal data under control', () => {
  let network: TestNetwork;
  const clock = new ManualClock();
  const travelers: TravelerJson[] = [...syntheticTravelers(4, 2850), flaggedTravelers()[0]!];
  let queryId = '';

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dgme', 'us-cbp'],
      clock,
      ...withAssessor(),
      apiClients: (party) => [
        party === 'us-cbp'
          ? {
              id: 'cbp-cmaa-desk',
              roles: ['officer'],
              token: SCOPED_TOKEN,
              scope: { agreements: ['cmaa-us-sv'] },
            }
          : {
              id: 'dgme-customs-desk',
              roles: ['officer'],
              token: SCOPED_TOKEN,
              scope: { families: ['customs-offense'] },
            },
      ],
    });
  });
  afterAll(() => network?.stop());

  const cbp = () => network.node('us-cbp');
  const dgme = () => network.node('sv-dgme');
  const as = (token: string) => cbp().api.withToken(token);
  const accessLog = async (query: string) => {
    const res = await as(cbp().tokens.dpo).get<AccessPage>(`/v1/access-log${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  async function ask(list: readonly TravelerJson[]): Promise<{ query: string; results: AssessmentResult[] }> {
    const sent = await dgme().api.submit({
      type: 'TravelerRiskQuery',
      to: 'us-cbp',
      purpose: 'traveler-risk-assessment',
      payload: flightQuery([...list]),
    });
    expect(sent.status).toBe(202);
    const answer = await waitFor(
      'the assessment',
      async () => (await dgme().api.message(sent.body.id)).body.replies?.[0],
    );
    return { query: sent.body.id, results: (answer.payload as { results: AssessmentResult[] }).results };
  }

  it('gives a client without the analyst role the metadata only, and records every read with its purpose', async () => {
    ({ query: queryId } = await ask(travelers));
    await waitFor(
      'the query in us-cbp’s inbox',
      async () => (await cbp().api.message(queryId)).status === 200,
    );

    const clerk = await as(cbp().tokens.clerk).withPurpose('border-security').message(queryId);
    expect(clerk.status).toBe(200);
    expect(clerk.body).toMatchObject({
      id: queryId,
      type: expect.stringContaining('TravelerRiskQuery') as string,
      from: 'sv-dgme',
      agreement: 'atsg-us-sv',
      payload: {},
      personalDataWithheld: true,
    });

    const analyst = await cbp().api.withPurpose('traveler-risk-assessment').message(queryId);
    expect(analyst.status).toBe(200);
    expect(analyst.body.personalDataWithheld).toBeUndefined();
    expect(JSON.stringify(analyst.body.payload)).toContain(travelers[0]!.surname);

    // No purpose, or one that is not a purpose code (free text could name the traveler): refused, not logged.
    const none = await cbp().api.withPurpose(null).message(queryId);
    expect(none).toMatchObject({ status: 400, body: { code: 'PURPOSE_REQUIRED' } });
    const prose = await cbp().api.withPurpose(`checking ${travelers[0]!.surname}`).inbox();
    expect(prose).toMatchObject({ status: 400, body: { code: 'PURPOSE_INVALID' } });

    // A purpose outside ATS-G's is a further use, which the agreement prohibits and no consent can allow:
    // the message is refused, a list shows its metadata only, and both attempts are on record.
    const taxes = cbp().api.withPurpose('tax-collection');
    const outside = await taxes.message(queryId);
    expect(outside).toMatchObject({
      status: 403,
      body: { code: 'CONSENT_REQUIRED', rule: 'agreements[atsg-us-sv].purposes', agreementId: 'atsg-us-sv' },
    });
    expect(JSON.stringify(outside.body)).not.toContain(travelers[0]!.surname);
    const listed = (await taxes.inbox()).body.find((m) => m.id === queryId);
    expect(listed).toMatchObject({ payload: {}, personalDataWithheld: true, withheldBy: 'purpose' });

    const page = await accessLog(`?message=${queryId}`);
    const reads = page.entries.filter((e) => e.kind === 'message.read');
    expect(reads.map((e) => [e.detail.client, e.detail.purpose, e.detail.withheld])).toEqual([
      ['us-cbp-officer', 'traveler-risk-assessment', false], // the wait for the query to arrive
      ['us-cbp-clerk', 'border-security', true],
      ['us-cbp-officer', 'traveler-risk-assessment', false],
      ['us-cbp-officer', 'tax-collection', true],
      ['us-cbp-officer', 'tax-collection', true],
    ]);
    expect(
      reads.filter((e) => e.detail.purpose === 'tax-collection').map((e) => e.detail.withheldBy),
    ).toEqual(['purpose', 'purpose']);
    expect(JSON.stringify(page)).not.toContain(travelers[0]!.surname);

    // Filters and pages: by client, by conversation and time, one entry a page.
    expect((await accessLog('?client=us-cbp-clerk')).entries.map((e) => e.messageId)).toContain(queryId);
    const first = await accessLog(`?conversation=${analyst.body.conversationId}&limit=1`);
    expect(first.entries).toHaveLength(1);
    expect(first.next).toBeDefined();
    const second = await accessLog(
      `?conversation=${analyst.body.conversationId}&limit=1&after=${first.next}`,
    );
    expect(second.entries[0]?.seq).toBeGreaterThan(first.entries[0]!.seq);
    const future = new Date(clock.now().getTime() + 86_400_000).toISOString();
    expect((await accessLog(`?from=${future}`)).entries).toHaveLength(0);

    // The access log is the DPO's alone.
    expect(await as(cbp().tokens.clerk).get('/v1/access-log')).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN_ROLE' },
    });
  });

  it('keeps a client to the agreements and families it is bound to, for reads and submissions', async () => {
    const scoped = as(SCOPED_TOKEN);
    expect(await scoped.message(queryId)).toMatchObject({ status: 403, body: { code: 'OUT_OF_SCOPE' } });
    const inbox = await scoped.inbox();
    expect(inbox.status).toBe(200);
    expect(inbox.body.map((m) => m.id)).not.toContain(queryId);
    const submit = await dgme()
      .api.withToken(SCOPED_TOKEN)
      .submit({
        type: 'TravelerRiskQuery',
        to: 'us-cbp',
        purpose: 'traveler-risk-assessment',
        payload: flightQuery(syntheticTravelers(1, 7)),
      });
    expect(submit).toMatchObject({
      status: 403,
      body: { code: 'OUT_OF_SCOPE', rule: 'client.scope.families' },
    });
  });

  it('masks ATS-G data at maskAfterDays: no name, date of birth or document number left anywhere in either database', async () => {
    const secrets = travelers.flatMap((t) => [t.surname, t.givenNames, t.dateOfBirth, t.document.number]);
    // The scan finds the data while it is there (so finding nothing later means something).
    for (const party of ['sv-dgme', 'us-cbp'])
      expect((await scan(network.node(party).db, secrets)).length).toBeGreaterThan(0);
    clock.advanceDays(31);
    for (const party of ['sv-dgme', 'us-cbp']) {
      const masked = await network.running(party).app.get(MaskingService).run();
      expect(masked['atsg-us-sv']).toBeGreaterThanOrEqual(1);
    }
    for (const party of ['sv-dgme', 'us-cbp']) {
      const found = await scan(network.node(party).db, secrets);
      expect({ party, found }).toEqual({ party, found: [] });
    }
    const view = (await cbp().api.message(queryId)).body;
    expect(view.maskedAt).toEqual(expect.any(String));
    const masked = view.payload as { travelers: { travelerRef: string; surname: string }[] };
    expect(masked.travelers[0]?.surname).toMatch(/^masked:/);
    expect(masked.travelers.map((t) => t.travelerRef)).toEqual(travelers.map((t) => t.travelerRef));
  });

  it('still recognises a returning traveler against the masked history, and flags one flagged before', async () => {
    const stranger = { ...syntheticTravelers(1, 4242)[0]!, travelerRef: 'STRANGER' };
    const { results } = await ask([travelers[0]!, travelers[4]!, stranger]);
    const by = new Map(results.map((r) => [r.travelerRef, r]));
    expect(by.get(travelers[0]!.travelerRef)).toMatchObject({
      outcome: 'RISK_OUTCOME_NO_MATCH',
      reasonCodes: ['RETURNING_TRAVELER'],
    });
    // Flagged by the watchlist again, and known from the masked history as flagged before.
    expect(by.get('HIT-EXACT')).toMatchObject({
      outcome: 'RISK_OUTCOME_MATCH',
      reasonCodes: expect.arrayContaining(['RETURNING_TRAVELER', 'PREVIOUSLY_FLAGGED']) as string[],
    });
    expect(by.get('STRANGER')?.reasonCodes ?? []).not.toContain('RETURNING_TRAVELER');
  });

  it('unmasks one message only with two different DPOs, each on record', async () => {
    const dpo = as(cbp().tokens.dpo);
    const dpo2 = as(cbp().tokens.dpo2);
    expect(await as(cbp().tokens.clerk).post(`/v1/messages/${queryId}/unmask-requests`, {})).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN_ROLE' },
    });
    const asked = await dpo.post<{ id: string; status: string }>(
      `/v1/messages/${queryId}/unmask-requests`,
      {},
    );
    expect(asked).toMatchObject({ status: 201, body: { status: 'pending' } });
    const request = asked.body.id;

    expect(await dpo.post(`/v1/unmask-requests/${request}/approve`, {})).toMatchObject({
      status: 403,
      body: { code: 'UNMASK_SAME_CLIENT' },
    });
    expect(await dpo.get(`/v1/unmask-requests/${request}/message`)).toMatchObject({
      status: 403,
      body: { code: 'UNMASK_NOT_APPROVED' },
    });
    expect(await dpo2.withPurpose(null).post(`/v1/unmask-requests/${request}/approve`, {})).toMatchObject({
      status: 400,
      body: { code: 'PURPOSE_REQUIRED' },
    });
    expect(await dpo2.post(`/v1/unmask-requests/${request}/approve`, {})).toMatchObject({
      status: 200,
      body: { status: 'approved', approvedBy: 'us-cbp-dpo2' },
    });
    expect(await dpo2.post(`/v1/unmask-requests/${request}/approve`, {})).toMatchObject({
      status: 409,
      body: { code: 'UNMASK_ALREADY_APPROVED' },
    });
    expect(await dpo2.get(`/v1/unmask-requests/${request}/message`)).toMatchObject({
      status: 403,
      body: { code: 'UNMASK_NOT_REQUESTER' },
    });
    const original = await dpo.get<{ payload: { travelers: TravelerJson[] } }>(
      `/v1/unmask-requests/${request}/message`,
    );
    expect(original.status).toBe(200);
    expect(original.body.payload.travelers.map((t) => t.surname)).toEqual(travelers.map((t) => t.surname));

    const log = await accessLog(`?message=${queryId}`);
    expect(
      log.entries.filter((e) => e.kind !== 'message.read').map((e) => [e.kind, e.detail.client]),
    ).toEqual([
      ['message.unmask-requested', 'us-cbp-dpo'],
      ['message.unmask-approved', 'us-cbp-dpo2'],
      ['message.unmasked-read', 'us-cbp-dpo'],
    ]);

    // A request left waiting past PUENTE_UNMASK_REQUEST_HOURS cannot be approved any more.
    const stale = await dpo.post<{ id: string }>(`/v1/messages/${queryId}/unmask-requests`, {});
    clock.advanceDays(2);
    expect(await dpo2.post(`/v1/unmask-requests/${stale.body.id}/approve`, {})).toMatchObject({
      status: 410,
      body: { code: 'UNMASK_REQUEST_EXPIRED' },
    });
    // The approval's view period is over too.
    expect(await dpo.get(`/v1/unmask-requests/${request}/message`)).toMatchObject({
      status: 410,
      body: { code: 'UNMASK_VIEW_EXPIRED' },
    });
  });

  it('deletes the masked data and its sealed original at retentionDays, the audit chain intact', async () => {
    clock.advanceDays(60); // day 93: past ATS-G's 90 days for the first query only
    for (const party of ['sv-dgme', 'us-cbp']) {
      const counts = await network.running(party).app.get(RetentionService).run();
      expect(counts['atsg-us-sv']?.received).toBeGreaterThanOrEqual(1);
      expect(await new AuditLogRepository(network.node(party).db).verify()).toMatchObject({ ok: true });
    }
    const view = (await cbp().api.message(queryId)).body as MessageBody;
    expect(view).toMatchObject({ payload: {}, redactedAt: expect.any(String) as string });
    const [row] = await cbp().db.query<{ sealed: string | null }>(
      'select masked_original as sealed from inbox_messages where id = $1',
      [queryId],
    );
    expect(row?.sealed).toBeNull();
    expect(await as(cbp().tokens.dpo).post(`/v1/messages/${queryId}/unmask-requests`, {})).toMatchObject({
      status: 409,
      body: { code: 'UNMASK_NOT_MASKED' },
    });
  });
});

/** Every table, every row as text: which of the values occurs anywhere (names shorter than 6 letters could occur by chance in base64). */
async function scan(db: Db, values: readonly string[]): Promise<string[]> {
  const needles = values.filter((v) => v.length >= 6);
  const tables = await db.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  );
  expect(tables.length).toBeGreaterThan(10);
  const found = new Set<string>();
  for (const { name } of tables) {
    const rows = await db.query<{ t: string }>(`select t::text as t from "${name}" t`);
    for (const { t } of rows)
      for (const v of needles) if (t.includes(v)) found.add(`${name}: ${v.length} chars`);
  }
  return [...found];
}
