import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { kafkajsSecurity } from '@app/messaging';
import { clientSecurityFor } from '@app/testing';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

// Synthetic case data: every value below is what a reader of the topics must never recover.
const PERSONS = [
  {
    surname: 'Quintanilla Berrios',
    givenNames: 'Rosa Elena',
    dateOfBirth: '1979-08-23',
    nationality: 'SV',
    documents: [{ type: 'passport', number: 'B70431266', issuingCountry: 'SV' }],
    role: 'consignee',
  },
  {
    surname: 'Okonkwo-Hartley',
    dateOfBirth: '1986-02-11',
    nationality: 'US',
    documents: [{ type: 'national id', number: 'DUI-05529183-4', issuingCountry: 'SV' }],
    role: 'driver',
  },
];
const COMPANIES = [
  { name: 'Importadora Lirio Azul S.A.', taxId: '0614-090311-102-7', country: 'SV' },
  { name: 'Gulfstream Cold Logistics LLC', country: 'US', address: '1700 Eller Drive, Fort Lauderdale' },
];
const CASE_REFERENCE = 'CBP-OFO-2026-77341';
const SPONTANEOUS_REFERENCE = 'DGA-SI-2026-5520';
/** Free text of a cooperation notice can name anything; this is what it names here. */
const NOTICE_COMPANY = 'Naviera Puerto Quetzal Ltda';
/** An AEO operator's name and address travel under the mutual recognition arrangement. */
const AEO_OPERATOR = { name: 'Exportadora Volcán Izalco S.A. de C.V.', street: 'Calle Los Almendros 77' };

const NEEDLES = [
  ...PERSONS.flatMap((p) => [p.surname, p.dateOfBirth, ...p.documents.map((d) => d.number)]),
  ...COMPANIES.map((c) => c.name),
  CASE_REFERENCE,
  SPONTANEOUS_REFERENCE,
  NOTICE_COMPANY,
  AEO_OPERATOR.name,
  AEO_OPERATOR.street,
];

/**
 * What anyone with read access to the broker can recover from a record: its raw bytes and, for every
 * base64url run in them (the parts of a compact JWS, and inside a decoded payload the parts of any
 * nested compact serialization), the decoded bytes, down a few levels.
 */
function readableForms(bytes: Buffer, depth = 0): string[] {
  const forms = [bytes.toString('utf8'), bytes.toString('latin1')];
  if (depth >= 3) return forms;
  for (const run of bytes.toString('latin1').match(/[A-Za-z0-9_-]{8,}/g) ?? [])
    forms.push(...readableForms(Buffer.from(run, 'base64url'), depth + 1));
  return forms;
}

/**
 * After a CMAA exchange about persons and companies (request, answer, spontaneous information) and an
 * MOU cooperation notice, no surname, date of birth, document number, company name or case reference
 * can be read from any topic of the network — inboxes, DLQs, the ops flow — by base64url-decoding the
 * signed records as anyone could: every payload is encrypted to its recipient.
 */
describe('0750 case data is never in the clear on the broker', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({ parties: ['us-cbp', 'sv-dga', 'mx-anam'] });
  });
  afterAll(() => network?.stop());

  it('finds no person, company or case reference in any record of the namespace', async () => {
    const cbp = network.node('us-cbp');
    const dga = network.node('sv-dga');
    const anam = network.node('mx-anam');
    const request = {
      ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
      caseReference: CASE_REFERENCE,
      summary: `Consignee ${PERSONS[0]!.surname} received two containers through ${COMPANIES[1]!.name}.`,
      subjects: { persons: PERSONS, companies: COMPANIES },
    };
    const sent = await cbp.api.submit({
      type: 'AssistanceRequest',
      to: 'sv-dga',
      purpose: 'trafficking',
      payload: request,
    });
    expect(sent.status).toBe(202);
    const received = await waitFor('sv-dga to accept the request', async () => {
      const res = await dga.api.message(sent.body.id);
      return res.status === 200 && res.body.status === 'accepted' ? res.body : undefined;
    });
    // The recipient decrypted it: its API shows the payload as sent.
    expect(received.payload).toEqual(request);

    const response = {
      ...EXAMPLE_PAYLOADS[MessageType.AssistanceResponse],
      caseReference: CASE_REFERENCE,
      findings: [`${COMPANIES[0]!.name} is registered to ${PERSONS[0]!.surname}`],
    };
    const answered = await dga.api.submit({
      type: 'AssistanceResponse',
      to: 'us-cbp',
      purpose: 'trafficking',
      inReplyTo: sent.body.id,
      payload: response,
    });
    expect(answered.status).toBe(202);

    const spontaneous = {
      ...EXAMPLE_PAYLOADS[MessageType.SpontaneousInformation],
      caseReference: SPONTANEOUS_REFERENCE,
      subjects: { persons: [PERSONS[1]], companies: [COMPANIES[1]] },
    };
    const told = await dga.api.submit({
      type: 'SpontaneousInformation',
      to: 'us-cbp',
      purpose: 'customs-law-violation',
      payload: spontaneous,
    });
    expect(told.status).toBe(202);

    const notice = {
      ...EXAMPLE_PAYLOADS[MessageType.CooperationNotice],
      body: `Joint targeting of reefer containers shipped by ${NOTICE_COMPANY} through Pacific ports.`,
    };
    const noticed = await cbp.api.submit({
      type: 'CooperationNotice',
      to: 'mx-anam',
      purpose: 'joint-priorities',
      payload: notice,
    });
    expect(noticed.status).toBe(202);

    const aeo = EXAMPLE_PAYLOADS[MessageType.AeoStatusSync] as { operators: Record<string, unknown>[] };
    const sync = {
      ...aeo,
      operators: aeo.operators.map((o) => ({
        ...o,
        name: AEO_OPERATOR.name,
        address: { ...(o.address as object), street: AEO_OPERATOR.street },
      })),
    };
    const synced = await dga.api.submit({
      type: 'AeoStatusSync',
      to: 'us-cbp',
      purpose: 'aeo-mutual-recognition',
      payload: sync,
    });
    expect(synced.status).toBe(202);

    for (const [node, id] of [
      [dga, answered.body.id],
      [dga, told.body.id],
      [cbp, noticed.body.id],
      [dga, synced.body.id],
    ] as const)
      await waitFor(
        `${id} to be delivered`,
        async () => (await node.api.message(id)).body.status === 'delivered',
      );
    expect((await cbp.api.message(answered.body.id)).body.payload).toEqual(response);
    expect((await cbp.api.message(told.body.id)).body.payload).toEqual(spontaneous);
    expect((await anam.api.message(noticed.body.id)).body.payload).toEqual(notice);
    expect(
      (await cbp.api.withPurpose('aeo-mutual-recognition').message(synced.body.id)).body.payload,
    ).toEqual(sync);
    await new Promise((r) => setTimeout(r, 600)); // let the flow-event publisher flush

    // A plain kafkajs client, as any holder of read access would use — here the broker's admin, who
    // can read every topic — over every topic of the network, from the beginning up to each
    // partition's end offset as it stands now.
    const kafka = new Kafka({
      clientId: 'curious-reader',
      brokers: [...network.brokers],
      ...kafkajsSecurity(clientSecurityFor(network.kafka, 'admin')),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${network.namespace}.`)).sort();
    const pending = new Set<string>();
    for (const topic of topics)
      for (const p of await admin.fetchTopicOffsets(topic))
        if (Number(p.high) > 0) pending.add(`${topic}/${p.partition}/${Number(p.high) - 1}`);
    await admin.disconnect();
    expect(topics).toEqual(
      expect.arrayContaining([
        network.inboxTopic('us-cbp'),
        network.inboxTopic('sv-dga'),
        network.inboxTopic('mx-anam'),
        network.dlqTopic('us-cbp'),
        network.dlqTopic('sv-dga'),
        network.dlqTopic('mx-anam'),
        `${network.namespace}.ops.flow`,
      ]),
    );

    const forms: string[] = [];
    let records = 0;
    const consumer = kafka.consumer({ groupId: `curious-${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ topic, partition, message }) => {
          records++;
          pending.delete(`${topic}/${partition}/${message.offset}`);
          for (const part of [message.key, message.value, ...Object.values(message.headers ?? {}).flat()])
            if (part !== undefined && part !== null) forms.push(...readableForms(Buffer.from(part)));
          return Promise.resolve();
        },
      });
      await waitFor('every record of the namespace read', () => pending.size === 0);
    } finally {
      await consumer.disconnect();
    }
    // Five messages and their five receipts on the inboxes, flow events on the ops topic.
    expect(records).toBeGreaterThanOrEqual(10);

    const haystack = forms.join('\n').toUpperCase();
    // Sanity check of the decoding itself: the signed envelopes' metadata is readable, as it should be.
    expect(haystack).toContain('PUENTE.CUSTOMS_OFFENSE.V1.ASSISTANCEREQUEST');
    expect(haystack).toContain('CMAA-US-SV');
    expect(NEEDLES.filter((n) => haystack.includes(n.toUpperCase()))).toEqual([]);
  });
});
