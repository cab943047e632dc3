import { EXAMPLE_PAYLOADS, MessageType, opsFlowTopic } from '@app/contracts';
import { withChanges } from '@app/testing';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

interface BatchAnswer {
  accepted: number;
  refused: number;
  results: {
    index: number;
    id?: string;
    status?: string;
    statusCode?: number;
    code?: string;
    rule?: string;
    errors?: { path: string }[];
  }[];
}

/**
 * An agency submits many messages in one request: each one is judged as if it came alone, the answer
 * says in order which were accepted (their ids) and why the others were refused, and only the
 * accepted ones reach the partner.
 */
describe('0060 batch submission', () => {
  let network: TestNetwork;
  const request = (caseReference: string, over: Record<string, unknown> = {}) => ({
    type: 'AssistanceRequest',
    to: 'us-cbp',
    purpose: 'trafficking',
    payload: { ...structuredClone(EXAMPLE_PAYLOADS[MessageType.AssistanceRequest]), caseReference },
    ...over,
  });

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['sv-dga', 'us-cbp'] });
  });
  afterAll(() => network?.stop());

  it('accepts the valid submissions and answers each refused one with its own code and rule', async () => {
    const dga = network.node('sv-dga');
    const res = await dga.api.post<BatchAnswer>('/v1/messages/batch', {
      messages: [
        request('BATCH-A'),
        withChanges(request('BATCH-B'), { 'payload.subjects.goods[0].hsCode': 'not-a-code' }),
        request('BATCH-C', { purpose: 'tax-collection' }),
        request('BATCH-D', { to: 'xx-nobody' }),
        request('BATCH-E'),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 2, refused: 3 });
    const [a, b, c, d, e] = res.body.results;
    expect(a).toMatchObject({ index: 0, status: 'queued', id: expect.any(String) as string });
    expect(b).toMatchObject({ index: 1, statusCode: 400, code: 'SCHEMA_INVALID' });
    expect(b?.errors?.map((x) => x.path)).toEqual(['payload.subjects.goods[0].hsCode']);
    expect(c).toMatchObject({
      index: 2,
      statusCode: 403,
      code: 'PURPOSE_NOT_PERMITTED',
      rule: 'agreements[cmaa-us-sv].purposes',
    });
    expect(d).toMatchObject({ index: 3, statusCode: 400, code: 'UNKNOWN_PARTY', rule: 'to' });
    expect(e).toMatchObject({ index: 4, status: 'queued', id: expect.any(String) as string });

    for (const id of [a?.id, e?.id])
      await waitFor(
        `message ${id} delivered`,
        async () => (await dga.api.message(id ?? '')).body.status === 'delivered',
      );
    const inbox = await network.node('us-cbp').api.inbox();
    expect(inbox.body.map((m) => (m.payload as { caseReference: string }).caseReference).sort()).toEqual([
      'BATCH-A',
      'BATCH-E',
    ]);

    // Ops staff see each refusal of the batch, as they would have seen it alone.
    const events = await waitFor('the batch refusals on the flow topic', async () => {
      const all = (await network.tap.readAll(opsFlowTopic(network.namespace), 500)).map(
        (r) => JSON.parse(r.value?.toString() ?? '{}') as Record<string, unknown>,
      );
      const refusals = all.filter((x) => x.stage === 'submit' && x.outcome !== 'OK');
      return refusals.length >= 3 ? refusals : undefined;
    });
    expect(events.map((x) => x.outcome).sort()).toEqual([
      'PURPOSE_NOT_PERMITTED',
      'SCHEMA_INVALID',
      'UNKNOWN_PARTY',
    ]);
  });

  it('refuses a body that is not a list of 1 to 100 submissions as a whole, naming the rule', async () => {
    const api = network.node('sv-dga').api;
    const refusal = async (body: unknown) => {
      const res = await api.post<{ code: string; rule: string; errors: { rule: string }[] }>(
        '/v1/messages/batch',
        body,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('SCHEMA_INVALID');
      return `${res.body.rule}:${res.body.errors[0]?.rule}`;
    };
    expect(await refusal([request('X')])).toBe(':isObject');
    expect(await refusal({ message: [request('X')] })).toBe('message:whitelistValidation');
    expect(await refusal({})).toBe('messages:isArray');
    expect(await refusal({ messages: [] })).toBe('messages:arrayLength');
    expect(await refusal({ messages: Array.from({ length: 101 }, (_, i) => request(`X-${i}`)) })).toBe(
      'messages:arrayLength',
    );
  });

  it('is for officers only', async () => {
    const node = network.node('sv-dga');
    const res = await node.api
      .withToken(node.tokens.ops)
      .post<{ code: string }>('/v1/messages/batch', { messages: [request('X')] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN_ROLE');
  });
});
