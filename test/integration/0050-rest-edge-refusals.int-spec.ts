import { EXAMPLE_PAYLOADS, MessageType, opsFlowTopic } from '@app/contracts';
import { withChanges } from '@app/testing';
import { TestNetwork } from '../support/test-network';

/** Bad input at the REST edge gets a clear answer, and a refused request produces nothing on Kafka. */
describe('0050 REST edge of a node', () => {
  let network: TestNetwork;
  const valid = () => ({
    type: 'AssistanceRequest',
    to: 'us-cbp',
    purpose: 'trafficking',
    payload: structuredClone(EXAMPLE_PAYLOADS[MessageType.AssistanceRequest]),
  });

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga'],
      env: { PUENTE_HTTP_BODY_LIMIT_BYTES: '65536' },
    });
  });
  afterAll(() => network?.stop());

  it('lists every invalid field by path in one 400', async () => {
    const body = withChanges(valid(), {
      purpose: 42,
      'payload.subjects.goods[0].hsCode': 'not-a-code',
      'payload.replyBy': '2025-02-30',
      'payload.unexpected': true,
    });
    const res = await network.node('sv-dga').api.submit(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('SCHEMA_INVALID');
    const paths = (res.body.errors ?? []).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'purpose',
        'payload.subjects.goods[0].hsCode',
        'payload.replyBy',
        'payload.unexpected',
      ]),
    );
  });

  it('answers 400 for an unknown type or recipient', async () => {
    const api = network.node('sv-dga').api;
    expect((await api.submit({ ...valid(), type: 'Gossip' })).body).toMatchObject({
      statusCode: 400,
      code: 'UNKNOWN_MESSAGE_TYPE',
    });
    expect((await api.submit({ ...valid(), to: 'xx-nobody' })).body).toMatchObject({
      statusCode: 400,
      code: 'UNKNOWN_PARTY',
    });
  });

  it('answers 401 without valid credentials and 403 for a role that may not send', async () => {
    const node = network.node('sv-dga');
    expect((await node.api.withToken(undefined).post('/v1/messages', valid())).status).toBe(401);
    expect((await node.api.withToken('not-a-token').post('/v1/messages', valid())).body).toMatchObject({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
    });
    expect((await node.api.withToken(node.tokens.ops).post('/v1/messages', valid())).body).toMatchObject({
      statusCode: 403,
      code: 'FORBIDDEN_ROLE',
    });
  });

  it('answers 413 for a body over the size limit', async () => {
    const body = withChanges(valid(), { 'payload.summary': 'x'.repeat(70_000) });
    const res = await network.node('sv-dga').api.submit(body);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('TOO_LARGE');
  });

  it('put nothing on the broker for any of the refused requests', async () => {
    expect(await network.tap.readAll(network.inboxTopic('us-cbp'), 1000)).toHaveLength(0);
  });

  it('tells ops staff about each refusal on the flow topic: its code and rule, no values', async () => {
    const events = (await network.tap.readAll(opsFlowTopic(network.namespace), 1000)).map(
      (r) => JSON.parse(r.value?.toString() ?? '{}') as Record<string, unknown>,
    );
    const submits = events.filter((e) => e.stage === 'submit' && e.node === 'sv-dga');
    expect(submits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: 'SCHEMA_INVALID',
          type: MessageType.AssistanceRequest,
          recipient: 'us-cbp',
        }),
        expect.objectContaining({ outcome: 'UNKNOWN_MESSAGE_TYPE', rule: 'type' }),
        expect.objectContaining({ outcome: 'UNKNOWN_PARTY', rule: 'to' }),
      ]),
    );
    const text = JSON.stringify(events);
    for (const value of ['not-a-code', '2025-02-30', 'xx-nobody', 'Gossip'])
      expect(text).not.toContain(value);
  });

  it('serves health and the OpenAPI document', async () => {
    const node = network.node('sv-dga');
    const health = await node.api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ready', party: 'sv-dga', database: 'postgres' });
    // Nothing names the framework, and answers carry no ETag (nothing here is cached).
    const raw = await fetch(`${node.api.baseUrl}/health`);
    expect(raw.headers.get('x-powered-by')).toBeNull();
    expect(raw.headers.get('etag')).toBeNull();
    const docs = await node.api.get<{ paths: Record<string, unknown> }>('/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/messages',
        '/v1/inbox',
        '/v1/messages/{id}',
        '/v1/conversations/{id}',
        '/v1/agreements',
        '/v1/agreements/decisions',
        '/health',
      ]),
    );
  });
});
