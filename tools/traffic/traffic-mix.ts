import { EXAMPLE_PAYLOADS, MessageType } from '@app/contracts';
import { flightQuery, syntheticTravelers } from '@app/testing';

/** One request a partner agency's system would send to its own node's REST API. */
export interface TrafficRequest {
  /** The sending party: the request goes to its node. */
  readonly from: string;
  /** What the mix means it to be: sent, or refused by the sending node with this reason code. */
  readonly expect: 'sent' | { readonly refusedWith: string };
  readonly body: {
    readonly type: string;
    readonly to: string;
    readonly purpose: string;
    readonly payload: Record<string, unknown>;
  };
}

type Draw = (random: () => number, n: number) => TrafficRequest;

const OFFENSES = [
  ['trafficking', 'OFFENSE_CATEGORY_NARCOTICS_TRAFFICKING'],
  ['duty-evasion', 'OFFENSE_CATEGORY_DUTY_EVASION'],
  ['money-laundering', 'OFFENSE_CATEGORY_MONEY_LAUNDERING'],
  ['proliferation', 'OFFENSE_CATEGORY_PROLIFERATION'],
] as const;

function assistanceRequest(from: string, to: string, n: number, purpose?: string): TrafficRequest['body'] {
  const [offensePurpose, category] = OFFENSES[n % OFFENSES.length] ?? OFFENSES[0];
  const replyBy = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  return {
    type: MessageType.AssistanceRequest,
    to,
    purpose: purpose ?? offensePurpose,
    payload: {
      ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest],
      caseReference: `${from.toUpperCase()}-2026-${String(n).padStart(6, '0')}`,
      offenseCategory: category,
      replyBy,
    },
  };
}

/**
 * The demo network's traffic, by share: mostly CMAA assistance requests, some spontaneous
 * information and MOU notices, a few ATS-G traveler queries (us-cbp answers them), and about one
 * request in eight that the sending node refuses — no agreement, a purpose the agreement does not
 * cover, a type the agreement does not carry, or a payload that breaks its schema.
 */
const MIX: readonly (readonly [number, Draw])[] = [
  [35, (_, n) => ({ from: 'sv-dga', expect: 'sent', body: assistanceRequest('sv-dga', 'us-cbp', n) })],
  [10, (_, n) => ({ from: 'us-ice', expect: 'sent', body: assistanceRequest('us-ice', 'sv-dga', n) })],
  [8, (_, n) => ({ from: 'us-cbp', expect: 'sent', body: assistanceRequest('us-cbp', 'sv-dga', n) })],
  [
    10,
    () => ({
      from: 'us-cbp',
      expect: 'sent',
      body: {
        type: MessageType.SpontaneousInformation,
        to: 'sv-dga',
        purpose: 'duty-evasion',
        payload: { ...EXAMPLE_PAYLOADS[MessageType.SpontaneousInformation] },
      },
    }),
  ],
  ...(['mx-anam', 'us-cbp'] as const).map((from): readonly [number, Draw] => [
    8,
    (): TrafficRequest => ({
      from,
      expect: 'sent',
      body: {
        type: MessageType.CooperationNotice,
        to: from === 'mx-anam' ? 'us-cbp' : 'mx-anam',
        purpose: 'joint-priorities',
        payload: { ...EXAMPLE_PAYLOADS[MessageType.CooperationNotice] },
      },
    }),
  ]),
  [
    6,
    (random, n) => ({
      from: 'sv-dgme',
      expect: 'sent',
      body: {
        type: MessageType.TravelerRiskQuery,
        to: 'us-cbp',
        purpose: 'traveler-risk-assessment',
        payload: flightQuery(syntheticTravelers(2 + Math.floor(random() * 30), n)),
      },
    }),
  ],
  [
    4,
    (_, n) => ({
      from: 'sv-dga',
      expect: { refusedWith: 'NO_AGREEMENT' },
      body: assistanceRequest('sv-dga', 'mx-anam', n),
    }),
  ],
  [
    4,
    (_, n) => ({
      from: 'sv-dga',
      expect: { refusedWith: 'PURPOSE_NOT_PERMITTED' },
      body: assistanceRequest('sv-dga', 'us-cbp', n, 'tax-collection'),
    }),
  ],
  [
    3,
    (_, n) => ({
      from: 'mx-anam',
      expect: { refusedWith: 'TYPE_NOT_PERMITTED' },
      body: assistanceRequest('mx-anam', 'us-cbp', n, 'joint-priorities'),
    }),
  ],
  [
    4,
    (_, n) => {
      const body = assistanceRequest('sv-dga', 'us-cbp', n);
      const { summary: _dropped, ...payload } = body.payload;
      return { from: 'sv-dga', expect: { refusedWith: 'SCHEMA_INVALID' }, body: { ...body, payload } };
    },
  ],
];

const TOTAL = MIX.reduce((sum, [share]) => sum + share, 0);

/** The n-th request of the mix, drawn with `random` (pass a seeded generator for repeatable runs). */
export function nextTrafficRequest(random: () => number, n: number): TrafficRequest {
  let draw = random() * TOTAL;
  for (const [share, pick] of MIX) {
    if (draw < share) return pick(random, n);
    draw -= share;
  }
  const last = MIX[MIX.length - 1];
  if (!last) throw new Error('the traffic mix is empty');
  return last[1](random, n);
}

/** The parties the mix sends from. */
export const TRAFFIC_SENDERS = ['sv-dga', 'us-ice', 'us-cbp', 'mx-anam', 'sv-dgme'] as const;
