import type { Agreement, AgreementsCatalog } from '@app/agreements';
import type { ApiClient } from '@app/api-edge';
import type { AuditLogRepository, GroupCommitter } from '@app/persistence';
import type { ConsentGrant, ConsentLedger } from '../consent/consent.ledger';
import type { MessageView } from '../messages/message.view';
import { ExchangeError } from '../shared/exchange.error';
import type { ClientScopes } from './client-scopes.registry';
import { PersonalDataReads } from './personal-data.reads';

// The purpose rule on its own: a declared purpose outside the agreement's purposes needs the
// provider's consent for that use of that message. The ledger and the audit log are stand-ins here;
// test/integration/2850 and 2900 run the same rule over the real broker and database.

const AGREEMENT: Agreement = {
  id: 'cmaa-test',
  title: 'test',
  kind: 'agreement',
  parties: [],
  signedOn: new Date(0),
  channels: [],
  purposes: ['trafficking'],
  personalData: { allowedFields: ['subjects'] },
  onwardTransfer: 'provider-consent-required',
};

const view = (id: string, direction: MessageView['direction'] = 'inbound'): MessageView => ({
  id,
  direction,
  conversationId: 'c1',
  type: 'puente.customs_offense.v1.AssistanceResponse',
  from: 'sv-dga',
  to: 'us-ice',
  agreement: AGREEMENT.id,
  purpose: 'trafficking',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-02-01T00:00:00.000Z',
  status: 'received',
  payload: { subjects: { persons: [{ name: 'A PERSON' }] } },
});

describe('PersonalDataReads and the declared purpose', () => {
  const entries: Record<string, unknown>[] = [];
  const asked: string[][] = [];
  const grants = new Map<string, ConsentGrant>([
    [
      'm-granted|prosecution-evidence',
      {
        messageId: 'm-granted',
        provider: 'sv-dga',
        recipientOrUse: 'prosecution-evidence',
        requestId: 'r1',
        decisionId: 'd1',
        conditions: [],
        decidedAt: new Date(0),
      },
    ],
  ]);
  const reads = new PersonalDataReads(
    { agreements: [AGREEMENT] } as unknown as AgreementsCatalog,
    { now: () => new Date('2026-01-02T00:00:00Z') },
    { run: (fn: (tx: unknown) => Promise<void>) => fn({}) } as unknown as GroupCommitter,
    { of: () => undefined } as unknown as ClientScopes,
    {
      append: (_tx: unknown, _at: Date, kind: string, messageId: string, _c: string, detail: object) => {
        entries.push({ kind, messageId, ...detail });
        return Promise.resolve();
      },
    } as unknown as AuditLogRepository,
    {
      // One read of the ledger for every message a list shows; what it was asked is kept.
      grantsFor: (ids: readonly string[], use: string) => {
        asked.push([...ids]);
        return Promise.resolve(
          new Map(
            ids.flatMap((id) => (grants.has(`${id}|${use}`) ? [[id, grants.get(`${id}|${use}`)]] : [])),
          ),
        );
      },
    } as unknown as ConsentLedger,
  );
  const client: ApiClient = { id: 'us-ice-officer', agency: 'us-ice', roles: ['officer'] };

  beforeEach(() => {
    entries.splice(0);
    asked.splice(0);
  });

  it("shows the payload for one of the agreement's purposes", async () => {
    const shown = await reads.one(client, 'trafficking', view('m1'));
    expect(shown.payload).toEqual(view('m1').payload);
    expect(entries).toEqual([
      expect.objectContaining({ messageId: 'm1', purpose: 'trafficking', withheld: false }),
    ]);
  });

  it('refuses one message for another purpose with CONSENT_REQUIRED, and records the attempt', async () => {
    const refused = reads.one(client, 'tax-collection', view('m1'));
    await expect(refused).rejects.toBeInstanceOf(ExchangeError);
    await expect(refused).rejects.toMatchObject({
      code: 'CONSENT_REQUIRED',
      status: 403,
    });
    expect(entries).toEqual([
      expect.objectContaining({ messageId: 'm1', withheld: true, withheldBy: 'purpose' }),
    ]);
  });

  it('allows the use the provider granted for that message only, naming the decision in the record', async () => {
    const granted = await reads.one(client, 'prosecution-evidence', view('m-granted'));
    expect(granted.personalDataWithheld).toBeUndefined();
    expect(entries.at(-1)).toMatchObject({ messageId: 'm-granted', withheld: false, consent: 'd1' });
    // The same use of another received message is withheld in lists; what this node sent is its own.
    const listed = await reads.many(client, 'prosecution-evidence', 'inbox', [
      view('m-granted'),
      view('m-other'),
      view('m-own', 'outbound'),
    ]);
    expect(listed.map((v) => [v.id, v.withheldBy])).toEqual([
      ['m-granted', undefined],
      ['m-other', 'purpose'],
      ['m-own', undefined],
    ]);
    expect(listed[1]?.payload).toEqual({});
    // The ledger was read once for the list, about the received messages only.
    expect(asked.at(-1)).toEqual(['m-granted', 'm-other']);
    expect(asked).toHaveLength(2);
  });
});
