import { MessageType } from '@app/contracts';
import { flightQuery, syntheticTravelers } from '@app/testing';
import type { BenchNetwork } from './bench-network';
import { percentiles, type Percentiles } from './exchange.scenario';

export interface PassengerResult {
  readonly travelers: number;
  readonly runs: number;
  /** Submission by sv-dgme → the complete RiskAssessment readable on sv-dgme, ms. */
  readonly latencyMs: Percentiles;
}

interface MessageView {
  replies?: { payload: { results?: unknown[] } }[];
}

/**
 * ATS-G: sv-dgme sends a flight's travelers (encrypted, JWE) to us-cbp, whose node decrypts,
 * validates, assesses each against the watchlist and answers with a signed, encrypted
 * RiskAssessment. One query at a time; the time is until sv-dgme's API shows the full answer.
 */
export async function runPassengerQueries(
  network: BenchNetwork,
  travelers: number,
  runs: number,
): Promise<PassengerResult> {
  const dgme = network.node('sv-dgme');
  const headers = {
    authorization: `Bearer ${dgme.token}`,
    'content-type': 'application/json',
    // Reading passenger data is on record and needs a declared purpose.
    'x-puente-purpose': 'traveler-risk-assessment',
  };
  const timings: number[] = [];
  for (let run = 0; run < runs; run++) {
    const body = JSON.stringify({
      type: MessageType.TravelerRiskQuery,
      to: 'us-cbp',
      purpose: 'traveler-risk-assessment',
      payload: flightQuery(syntheticTravelers(travelers, 1000 + run)),
    });
    const started = performance.now();
    const res = await fetch(`${dgme.url}/v1/messages`, { method: 'POST', headers, body });
    const sent = (await res.json()) as { id?: string; code?: string };
    if (res.status !== 202 || !sent.id)
      throw new Error(`sv-dgme refused the query: ${res.status} ${sent.code}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = (await (
        await fetch(`${dgme.url}/v1/messages/${sent.id}`, { headers })
      ).json()) as MessageView;
      const results = view.replies?.[0]?.payload.results;
      if (results) {
        if (results.length !== travelers)
          throw new Error(`the assessment has ${results.length} results for ${travelers} travelers`);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no assessment of ${travelers} travelers within 60 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    timings.push(Math.round(performance.now() - started));
  }
  return { travelers, runs, latencyMs: percentiles(timings) };
}
