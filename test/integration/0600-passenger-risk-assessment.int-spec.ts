import { MessageType } from '@app/contracts';
import {
  flaggedTravelers,
  flightQuery,
  syntheticTravelers,
  withAssessor,
} from '../support/passengers.fixture';
import type { MessageBody } from '../support/test-api';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * Under ATS-G, El Salvador's migration directorate sends a flight's travelers to CBP; CBP's node
 * assesses each against its watchlist and answers automatically, encrypted to sv-dgme.
 */
describe('0600 a 200-traveler flight assessed by us-cbp', () => {
  let network: TestNetwork;

  beforeAll(async () => {
    network = await TestNetwork.start({
      parties: ['sv-dgme', 'us-cbp'],
      ...withAssessor(),
    });
  });
  afterAll(() => network?.stop());

  it('flags the three listed travelers and clears the other 197', async () => {
    const dgme = network.node('sv-dgme');
    const travelers = [...syntheticTravelers(197), ...flaggedTravelers()];
    const sent = await dgme.api.submit({
      type: 'TravelerRiskQuery',
      to: 'us-cbp',
      purpose: 'traveler-risk-assessment',
      payload: flightQuery(travelers),
    });
    expect(sent.status).toBe(202);

    const answer = await waitFor('the risk assessment', async () => {
      const res = await dgme.api.message(sent.body.id);
      return res.body.replies?.[0];
    });
    expect(answer).toMatchObject({
      type: MessageType.RiskAssessment,
      from: 'us-cbp',
      agreement: 'atsg-us-sv',
      inReplyTo: sent.body.id,
    });
    const results = (
      answer.payload as { results: { travelerRef: string; outcome: string; recommendedAction: string }[] }
    ).results;
    expect(results).toHaveLength(200);
    const flagged = results.filter((r) => r.outcome !== 'RISK_OUTCOME_NO_MATCH');
    expect(flagged.map((r) => r.travelerRef).sort()).toEqual(['HIT-ACCENT', 'HIT-EXACT', 'HIT-TYPO']);
    for (const r of flagged)
      expect(['RISK_OUTCOME_MATCH', 'RISK_OUTCOME_POSSIBLE_MATCH']).toContain(r.outcome);
    expect(results.find((r) => r.travelerRef === 'HIT-EXACT')?.outcome).toBe('RISK_OUTCOME_MATCH');
    await waitFor(
      'sv-dgme query delivered',
      async () => (await dgme.api.message(sent.body.id)).body.status === 'delivered',
    );

    // CBP's officers see the query received and what the assessor answered, in one conversation.
    const thread = await network.node('us-cbp').api.conversation(sent.body.conversationId);
    expect(thread.body.map((m: MessageBody) => [m.direction, m.type])).toEqual([
      ['inbound', MessageType.TravelerRiskQuery],
      ['outbound', MessageType.RiskAssessment],
    ]);
  });
});
