import { type ComponentChild, h } from 'preact';
import { text } from './api';
import type { Ctx } from './ctx';

/** One traveler's result in a `RiskAssessment` (proto3 JSON: zero values are absent). */
interface TravelerResult {
  travelerRef?: string;
  outcome?: string;
  score?: number;
  recommendedAction?: string;
  reasonCodes?: string[];
}

/** Matches first, then possible matches, then the rest; within each, the higher score first. */
const RANK: Readonly<Record<string, number>> = {
  RISK_OUTCOME_MATCH: 0,
  RISK_OUTCOME_POSSIBLE_MATCH: 1,
  RISK_OUTCOME_NO_MATCH: 2,
};
const rank = (r: TravelerResult) => RANK[text(r.outcome)] ?? 1;
const plain = (code: unknown, prefix: string) =>
  text(code).replace(prefix, '').replace(/_/g, ' ').toLowerCase();

/** A flight's assessment as a table, one row per traveler, matches first. */
export function RiskTable(props: { ctx: Ctx; payload: Record<string, unknown> }): ComponentChild {
  const { t } = props.ctx;
  const results = Array.isArray(props.payload.results) ? (props.payload.results as TravelerResult[]) : [];
  const rows = [...results].sort((a, b) => rank(a) - rank(b) || (b.score ?? 0) - (a.score ?? 0));
  return h('table', { class: 'risk' }, [
    h('caption', null, t('assessment')),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        [t('traveler'), t('outcome'), t('action'), t('reasons')].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((r) =>
        h('tr', { class: rank(r) < 2 ? 'match' : '', 'data-outcome': text(r.outcome) }, [
          h('td', null, text(r.travelerRef)),
          h('td', null, plain(r.outcome, 'RISK_OUTCOME_')),
          h('td', null, plain(r.recommendedAction, 'RECOMMENDED_ACTION_')),
          h('td', null, (r.reasonCodes ?? []).join('; ')),
        ]),
      ),
    ),
  ]);
}
