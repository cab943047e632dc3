import type { IdempotencyKeyRecord, IdempotencyKeysRepository } from '@app/persistence';
import type { ApiClient } from '@app/api-edge';
import { ExchangeError } from '../shared/exchange.error';
import { IdempotentSubmissions } from './idempotent-submissions';
import type { ValidSubmission } from './submit-message.dto';
import type { SubmitMessageService } from './submit-message.service';

/** The service over an in-memory key store, with submissions that take a while as real commits do. */
function setUp(options: { refuseFirst?: boolean } = {}) {
  const stored = new Map<string, IdempotencyKeyRecord>();
  let made = 0;
  let refusals = options.refuseFirst ? 1 : 0;
  const keys = {
    find: (clientId: string, key: string) => Promise.resolve(stored.get(`${clientId}/${key}`)),
  } as unknown as IdempotencyKeysRepository;
  const service = {
    submit: async (
      client: ApiClient,
      _dto: ValidSubmission,
      o: { idempotency?: { key: string; requestSha256: string } },
    ) => {
      await new Promise((r) => setTimeout(r, 20));
      if (refusals > 0) {
        refusals -= 1;
        throw new ExchangeError('NO_AGREEMENT', 403, 'refused');
      }
      made += 1;
      const id = `m-${made}`;
      if (o.idempotency)
        stored.set(`${client.id}/${o.idempotency.key}`, {
          clientId: client.id,
          key: o.idempotency.key,
          requestSha256: o.idempotency.requestSha256,
          messageId: id,
          conversationId: id,
          createdAt: new Date(),
        });
      return { id, conversationId: id, status: 'queued' as const };
    },
  } as unknown as SubmitMessageService;
  return { submissions: new IdempotentSubmissions(keys, service), made: () => made };
}

const officer: ApiClient = { id: 'officer', agency: 'us-cbp', roles: ['officer'] };
const other: ApiClient = { id: 'other', agency: 'us-cbp', roles: ['officer'] };
const dto = (caseReference: string, order: 'ab' | 'ba' = 'ab'): ValidSubmission => ({
  type: 'AssistanceRequest',
  to: 'sv-dga',
  purpose: 'trafficking',
  payload: order === 'ab' ? { a: 1, caseReference } : { caseReference, a: 1 },
});

describe('IdempotentSubmissions', () => {
  it('answers concurrent and later retries with the first id, whatever the key order of the body', async () => {
    const { submissions, made } = setUp();
    const answers = await Promise.all([
      submissions.submit(officer, dto('A'), 'k'),
      submissions.submit(officer, dto('A', 'ba'), 'k'),
      submissions.submit(officer, { ...dto('A'), type: 'puente.customs_offense.v1.AssistanceRequest' }, 'k'),
    ]);
    expect(answers.map((a) => a.id)).toEqual(['m-1', 'm-1', 'm-1']);
    expect((await submissions.submit(officer, dto('A'), 'k')).id).toBe('m-1');
    expect(made()).toBe(1);
  });

  it('refuses the key with another body, in flight or stored, with 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const { submissions } = setUp();
    const first = submissions.submit(officer, dto('A'), 'k');
    await expect(submissions.submit(officer, dto('B'), 'k')).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 409,
    });
    await first;
    await expect(submissions.submit(officer, dto('B'), 'k')).rejects.toMatchObject({ status: 409 });
  });

  it('keeps keys apart per client, and judges a retry afresh when the first was refused', async () => {
    const { submissions, made } = setUp({ refuseFirst: true });
    const [refused, retried] = await Promise.allSettled([
      submissions.submit(officer, dto('A'), 'k'),
      submissions.submit(officer, dto('A'), 'k'),
    ]);
    expect(refused.status).toBe('rejected');
    expect(retried).toMatchObject({ status: 'fulfilled', value: { id: 'm-1' } });
    expect((await submissions.submit(other, dto('B'), 'k')).id).toBe('m-2');
    expect(made()).toBe(2);
  });

  it('submits without a key as before: every request is a message', async () => {
    const { submissions, made } = setUp();
    await submissions.submit(officer, dto('A'), undefined);
    await submissions.submit(officer, dto('A'), undefined);
    expect(made()).toBe(2);
  });
});
