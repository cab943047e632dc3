import { AuditLogRepository } from '@app/persistence';
import { RetentionService } from '../../apps/exchange-node/src/passenger-risk/retention.service';
import { ManualClock } from '../support/manual-clock';
import { flightQuery, syntheticTravelers, withAssessor } from '../support/passengers.fixture';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * ATS-G keeps passenger data for its configured retention period (90 days): after that each node
 * removes the personal data and keeps the metadata, the receipts and an intact audit chain.
 */
describe('0900 retention of passenger data', () => {
  let network: TestNetwork;
  const clock = new ManualClock();

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dgme', 'us-cbp'],
      clock,
      ...withAssessor(),
    });
  });
  afterAll(() => network?.stop());

  async function exchange(): Promise<{ query: string; answer: string }> {
    const dgme = network.node('sv-dgme');
    const sent = await dgme.api.submit({
      type: 'TravelerRiskQuery',
      to: 'us-cbp',
      purpose: 'traveler-risk-assessment',
      payload: flightQuery(syntheticTravelers(5, 3)),
    });
    expect(sent.status).toBe(202);
    const answer = await waitFor(
      'the assessment',
      async () => (await dgme.api.message(sent.body.id)).body.replies?.[0]?.id,
    );
    await waitFor(
      'the assessment delivered',
      async () => (await network.node('us-cbp').api.message(answer)).body.status === 'delivered',
    );
    return { query: sent.body.id, answer };
  }

  it('removes what is past its period on both nodes and keeps what is not', async () => {
    const old = await exchange();
    clock.advanceDays(91);
    const recent = await exchange();

    for (const party of ['sv-dgme', 'us-cbp']) {
      const counts = await network.running(party).app.get(RetentionService).run();
      expect(counts['atsg-us-sv']).toMatchObject({ received: 1, sent: 1 });
    }
    for (const party of ['sv-dgme', 'us-cbp']) {
      const api = network.node(party).api;
      for (const id of [old.query, old.answer]) {
        const view = (await api.message(id)).body;
        expect(view).toMatchObject({ id, payload: {}, redactedAt: expect.any(String) as string });
        expect(view.status).toMatch(/delivered|accepted/); // the metadata and its receipt stay
      }
      for (const id of [recent.query, recent.answer]) {
        const view = (await api.message(id)).body;
        expect(view.redactedAt).toBeUndefined();
        expect(Object.keys(view.payload)).not.toHaveLength(0);
      }
      expect(await new AuditLogRepository(network.node(party).db).verify()).toMatchObject({
        ok: true,
      });
    }
  });
});
