import { request as httpRequest } from 'node:http';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { TestNetwork } from '../support/test-network';

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly body: {
    code?: string;
    message?: string;
    rule?: string;
    errors?: { path: string; rule: string }[];
  };
}

/** One request with any method and a raw body (fetch refuses TRACE, and JSON.stringify drops `__proto__`). */
function raw(
  url: string,
  method: string,
  token?: string,
  body?: string,
  extra: Record<string, string | string[]> = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: {
          ...extra,
          ...(token && { authorization: `Bearer ${token}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Raw['body'] = {};
          try {
            parsed = text ? (JSON.parse(text) as Raw['body']) : {};
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Hostile input at the REST edge is refused with a 4xx and a reason code, never a 500, never by
 * reaching a prototype, and the refusal never echoes more than a short prefix of what was sent.
 */
describe('0055 REST edge under hostile input', () => {
  let network: TestNetwork;
  let url: string;
  let officer: string;
  const valid = () => ({
    type: 'AssistanceRequest',
    to: 'us-cbp',
    purpose: 'trafficking',
    payload: structuredClone(EXAMPLE_PAYLOADS[MessageType.AssistanceRequest]) as Record<string, unknown>,
  });
  const submit = (body: string) => raw(`${url}/v1/messages`, 'POST', officer, body);

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dga', 'us-cbp'],
      // us-cbp's clients get a small request budget; sv-dga's none (the default of test networks).
      envFor: (party) =>
        party === 'us-cbp' ? { PUENTE_RATE_LIMIT_PER_SECOND: '1', PUENTE_RATE_LIMIT_BURST: '3' } : undefined,
    });
    url = network.node('sv-dga').url;
    officer = network.node('sv-dga').tokens.officer;
  });
  afterAll(() => network?.stop());

  it('refuses __proto__, constructor and prototype keys anywhere in a body, naming the path', async () => {
    const body = JSON.stringify(valid());
    const cases: [string, string][] = [
      [body.replace('{', '{"__proto__":{"polluted":true},'), '__proto__'],
      [
        body.replace('"payload":{', '"payload":{"constructor":{"prototype":{"polluted":true}},'),
        'payload.constructor',
      ],
      [
        body.replace('"subjects":{', '"subjects":{"persons":[{"prototype":{"polluted":true}}],'),
        'payload.subjects.persons[0].prototype',
      ],
    ];
    for (const [text, path] of cases) {
      const res = await submit(text);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'SCHEMA_INVALID', rule: path });
      expect(res.body.errors).toEqual([expect.objectContaining({ path, rule: 'forbiddenKey' })]);
    }
    // A batch's items are inspected one by one, each refused in its own result: the first item
    // carries a prototype key, the second a control character in a key, the third is valid.
    const items = [
      body.replace('"payload":{', '"payload":{"constructor":{"prototype":{"polluted":true}},'),
      body.replace('"payload":{', '"payload":{"x\\u0007":1,'),
      body,
    ];
    const batch = await raw(`${url}/v1/messages/batch`, 'POST', officer, `{"messages":[${items.join(',')}]}`);
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({
      accepted: 1,
      refused: 2,
      results: [
        { index: 0, code: 'SCHEMA_INVALID', rule: 'payload.constructor' },
        {
          index: 1,
          code: 'SCHEMA_INVALID',
          errors: [expect.objectContaining({ rule: 'noControlCharacters' })],
        },
        { index: 2, status: 'queued' },
      ],
    });
    // The node runs in this process: nothing reached Object.prototype.
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const decisions = await raw(
      `${url}/v1/agreements/decisions`,
      'POST',
      officer,
      '{"to":"us-cbp","type":"AssistanceRequest","purpose":"trafficking","__proto__":{"isAdmin":true}}',
    );
    expect(decisions.status).toBe(400);
    expect(decisions.body.rule).toBe('__proto__');
  });

  it('refuses input nested deeper than the limit with 400, however deep', async () => {
    for (const depth of [40, 100_000]) {
      const payload = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const res = await submit(JSON.stringify({ ...valid(), payload: '§' }).replace('"§"', payload));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('SCHEMA_INVALID');
      expect(res.body.errors?.[0]?.rule).toBe('maxDepth');
    }
    // Within the limit, the nesting is judged by the schema like any other input.
    const shallow = await submit(JSON.stringify({ ...valid(), payload: { a: { b: { c: 1 } } } }));
    expect(shallow.status).toBe(400);
    expect(shallow.body.errors?.map((e) => e.rule)).not.toContain('maxDepth');
  });

  it('answers an empty decisions body with 400 naming every missing field', async () => {
    const res = await raw(`${url}/v1/agreements/decisions`, 'POST', officer, '{}');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('SCHEMA_INVALID');
    expect(new Set(res.body.errors?.map((e) => e.path))).toEqual(new Set(['to', 'type', 'purpose']));
    const nulls = await raw(
      `${url}/v1/agreements/decisions`,
      'POST',
      officer,
      '{"to":"us-cbp","type":"AssistanceRequest","purpose":"trafficking","at":null,"agreement":null}',
    );
    expect(nulls.status).toBe(400);
    expect(new Set(nulls.body.errors?.map((e) => e.path))).toEqual(new Set(['at', 'agreement']));
  });

  it('takes no Object built-in for a message type', async () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const res = await submit(JSON.stringify({ ...valid(), type }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UNKNOWN_MESSAGE_TYPE');
      const decision = await raw(
        `${url}/v1/agreements/decisions`,
        'POST',
        officer,
        JSON.stringify({ to: 'us-cbp', type, purpose: 'trafficking' }),
      );
      expect(decision.status).toBe(400);
      expect(decision.body.errors?.[0]).toMatchObject({ path: 'type', rule: 'isIn' });
    }
    const inbox = await raw(`${url}/v1/inbox?type=constructor`, 'GET', officer);
    expect(inbox.status).toBe(400);
  });

  it('refuses control characters in any string, body or query, naming the path', async () => {
    const withNul = valid();
    (withNul.payload as { summary: string }).summary = 'seized \u0000 cargo';
    const res = await submit(JSON.stringify(withNul));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'payload.summary', rule: 'noControlCharacters' }),
    ]);
    const escape = valid();
    escape.purpose = 'traffick\u001bing';
    expect((await submit(JSON.stringify(escape))).body.rule).toBe('purpose');
    const key = await submit(JSON.stringify({ ...valid(), 'pay\u0007load': 1 }));
    expect(key.body).toMatchObject({ code: 'SCHEMA_INVALID' });
    expect(key.body.errors?.[0]?.rule).toBe('noControlCharacters');
    const query = await raw(`${url}/v1/inbox?from=us-cbp%00`, 'GET', officer);
    expect(query.status).toBe(400);
    expect(query.body.rule).toBe('from');
    // Tab, newline and carriage return are text.
    const text = valid();
    (text.payload as { summary: string }).summary = 'line one\r\n\tline two';
    expect((await submit(JSON.stringify(text))).status).toBe(202);
  });

  it('never echoes more than a short prefix of a submitted value', async () => {
    const long = 'Z'.repeat(100);
    const unknownType = await submit(JSON.stringify({ ...valid(), type: long }));
    expect(unknownType.body.code).toBe('UNKNOWN_MESSAGE_TYPE');
    expect(unknownType.body.message).toContain(`${'Z'.repeat(64)}…`);
    expect(unknownType.body.message).not.toContain('Z'.repeat(65));
    const huge = 'Q'.repeat(500_000);
    for (const field of ['type', 'to', 'purpose', 'agreement']) {
      const res = await submit(JSON.stringify({ ...valid(), [field]: huge }));
      expect(res.status).toBe(400);
      expect(res.text.length).toBeLessThan(2_000);
    }
  });

  it('answers 405 with Allow for a method a known path does not serve, 404 for an unknown path', async () => {
    const trace = await raw(`${url}/v1/messages`, 'TRACE', officer);
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe('OPTIONS, POST');
    expect(trace.body.code).toBe('METHOD_NOT_ALLOWED');
    const health = await raw(`${url}/health`, 'DELETE');
    expect(health.status).toBe(405);
    expect(health.headers.allow).toBe('GET, HEAD, OPTIONS');
    const byId = await raw(`${url}/v1/messages/0190a6f4-e89b-72d3-a456-426614174000`, 'PUT', officer);
    expect(byId.headers.allow).toBe('GET, HEAD, OPTIONS');
    // The batch path is no message id: it serves POST only.
    expect((await raw(`${url}/v1/messages/batch`, 'GET', officer)).headers.allow).toBe('OPTIONS, POST');
    const options = await raw(`${url}/v1/agreements/decisions`, 'OPTIONS');
    expect([options.status, options.headers.allow]).toEqual([204, 'OPTIONS, POST']);
    expect((await raw(`${url}/v1/nothing-here`, 'TRACE', officer)).status).toBe(404);
  });

  it('puts a client over its request budget off with 429 and Retry-After, and no other client', async () => {
    const cbp = network.node('us-cbp');
    const statuses: number[] = [];
    let limited: Raw | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await raw(`${cbp.url}/v1/agreements`, 'GET', cbp.tokens.officer);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses).toContain(429);
    expect(limited?.body.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another client of the same node has its own budget.
    expect((await raw(`${cbp.url}/v1/agreements`, 'GET', cbp.tokens.ops)).status).toBe(200);
    // Unauthenticated callers spend their address's budget, failed attempts included.
    const anonymous: number[] = [];
    for (let i = 0; i < 5; i++)
      anonymous.push((await raw(`${cbp.url}/v1/agreements`, 'GET', 'wrong')).status);
    expect(anonymous.slice(0, 3)).toEqual([401, 401, 401]);
    expect(anonymous).toContain(429);
  });

  it('puts the security headers on every answer, and a CSP on /docs that lets Swagger UI load', async () => {
    const answers = [
      await raw(`${url}/health`, 'GET'),
      await raw(`${url}/v1/agreements`, 'GET', officer),
      await raw(`${url}/v1/agreements`, 'GET'),
      await raw(`${url}/v1/nothing-here`, 'GET', officer),
      await submit('{"broken'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 404, 400]);
    for (const a of answers) {
      expect(a.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      expect(a.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    const docs = await raw(`${url}/docs`, 'GET');
    expect(docs.status).toBe(200);
    const csp = String(docs.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    // Every script of the page is a file of this node (no inline script the CSP would block).
    expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)/);
    for (const src of docs.text.matchAll(/<script src=["']([^"']+)["']/g))
      expect((await raw(new URL(src[1] ?? '', `${url}/docs`).toString(), 'GET')).status).toBe(200);
  });

  it('lets anyone read /health and /metrics, and nothing else without a token', async () => {
    expect((await raw(`${url}/health`, 'GET')).status).toBe(200);
    expect((await raw(`${url}/metrics`, 'GET')).status).toBe(200);
    expect((await raw(`${url}/docs-json`, 'GET')).status).toBe(200);
    for (const path of [
      '/v1/agreements',
      '/v1/inbox',
      '/v1/events',
      `/v1/messages/0190a6f4-e89b-72d3-a456-426614174000`,
    ])
      expect((await raw(`${url}${path}`, 'GET')).status).toBe(401);
  });

  it('refuses a hostile Idempotency-Key or Last-Event-ID with 400 naming the header, storing and echoing nothing', async () => {
    const body = JSON.stringify(valid());
    const long = 'k'.repeat(8_000);
    for (const key of [['a', 'b'], long, 'a b', '%00', 'k\u00e9y'.normalize()]) {
      const res = await raw(`${url}/v1/messages`, 'POST', officer, body, { 'idempotency-key': key });
      expect([key, res.status, res.body.code, res.body.rule]).toEqual([
        key,
        400,
        'SCHEMA_INVALID',
        'Idempotency-Key',
      ]);
      expect(res.text).not.toContain('kkkkkkkkkk');
    }
    for (const id of ['18446744073709551616', '-1', '0x10', long]) {
      const res = await raw(`${url}/v1/events`, 'GET', officer, undefined, { 'last-event-id': id });
      expect([id.slice(0, 20), res.status, res.body.code, res.body.rule]).toEqual([
        id.slice(0, 20),
        400,
        'SCHEMA_INVALID',
        'Last-Event-ID',
      ]);
    }
  });

  it('refuses a hostile X-Puente-Purpose with 400 PURPOSE_INVALID, echoing and logging none of it', async () => {
    const long = 'p'.repeat(8_000);
    for (const purpose of [['a-b', 'c-d'], long, 'checking José Pérez', 'UPPER-CASE', '%00', '-x', 'a']) {
      const res = await raw(`${url}/v1/inbox`, 'GET', officer, undefined, { 'x-puente-purpose': purpose });
      expect([purpose, res.status, res.body.code, res.body.rule]).toEqual([
        purpose,
        400,
        'PURPOSE_INVALID',
        'X-Puente-Purpose',
      ]);
      expect(res.text).not.toMatch(/pppppppppp|José/);
    }
    expect(network.logs.lines.join('\n')).not.toContain('José');
  });

  it('refuses huge or malformed access-log filters with 400 naming the filter, before any query', async () => {
    const dpo = network.node('sv-dga').tokens.dpo;
    const huge = 'c'.repeat(6_000);
    for (const [query, path] of [
      [`client=${huge}`, 'client'],
      ['client=a%20b', 'client'],
      ['limit=100000', 'limit'],
      ['limit=0', 'limit'],
      ['after=99999999999999999999', 'after'],
      ['after=-1', 'after'],
      ['from=yesterday', 'from'],
      [`to=${'2026'.repeat(20)}`, 'to'],
      ['message=1', 'message'],
      [
        'message=01a22e7c-aa50-7071-8844-89f387eb07e5&message=01a22e7c-aa50-7071-8844-89f387eb07e5',
        'message',
      ],
      ["conversation='%20or%201=1--", 'conversation'],
    ] as const) {
      const res = await raw(`${url}/v1/access-log?${query}`, 'GET', dpo);
      expect([query.slice(0, 40), res.status, res.body.code, res.body.errors?.[0]?.path]).toEqual([
        query.slice(0, 40),
        400,
        'SCHEMA_INVALID',
        path,
      ]);
      expect(res.text).not.toContain('cccccccccc');
    }
    expect((await raw(`${url}/v1/access-log?limit=500`, 'GET', dpo)).status).toBe(200);
    expect((await raw(`${url}/v1/access-log`, 'GET', officer)).body.code).toBe('FORBIDDEN_ROLE');
  });
});
