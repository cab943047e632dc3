import { OPS_FLOW_TOPIC } from '@app/contracts';
import {
  flaggedTravelers,
  flightQuery,
  syntheticTravelers,
  withAssessor,
} from '../support/passengers.fixture';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * The broker, the ops flow topic, the DLQs and every node log line see metadata only: after a
 * passenger exchange, none of the travelers' names or document numbers appears in their raw bytes.
 */
describe('0700 personal data is never in the clear outside the two nodes', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dgme', 'us-cbp'],
      ...withAssessor(),
    });
  });
  afterAll(() => network?.stop());

  it('finds no name or document number in any topic, log or metric', async () => {
    const travelers = [...syntheticTravelers(40, 11), ...flaggedTravelers()];
    const dgme = network.node('sv-dgme');
    const sent = await dgme.api.submit({
      type: 'TravelerRiskQuery',
      to: 'us-cbp',
      purpose: 'traveler-risk-assessment',
      payload: flightQuery(travelers),
    });
    expect(sent.status).toBe(202);
    // A refused one too: its error, flow event and logs must not echo the data either.
    const refused = await dgme.api.submit({
      type: 'TravelerRiskQuery',
      to: 'us-cbp',
      purpose: 'tourism',
      payload: flightQuery(travelers.slice(0, 3)),
    });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(travelers[0]!.surname);
    await waitFor(
      'the assessment',
      async () => (await dgme.api.message(sent.body.id)).body.replies?.length === 1,
    );
    await new Promise((r) => setTimeout(r, 600)); // let the flow-event publisher flush

    const topics = [
      network.inboxTopic('sv-dgme'),
      network.inboxTopic('us-cbp'),
      network.dlqTopic('sv-dgme'),
      network.dlqTopic('us-cbp'),
      OPS_FLOW_TOPIC.replace('puente', network.namespace),
    ];
    const raw: string[] = [];
    for (const topic of topics) {
      for (const r of await network.tap.readAll(topic, 800))
        raw.push(r.key ?? '', r.value?.toString('latin1') ?? '', JSON.stringify(r.headers));
    }
    for (const party of ['sv-dgme', 'us-cbp'])
      raw.push(await (await fetch(`${network.node(party).url}/metrics`)).text());
    const haystack = `${raw.join('\n')}\n${network.logs.text()}`.toUpperCase();
    expect(raw.length).toBeGreaterThan(5); // the scan read real records
    const needles = travelers.flatMap((t) => [t.surname, t.document.number]).map((s) => s.toUpperCase());
    const found = needles.filter((n) => haystack.includes(n));
    expect(found).toEqual([]);
    // Sanity check of the scan itself: the travelers' references (not personal data) do show up in the logs.
    expect(haystack).toContain('HIT-EXACT');
  });
});
