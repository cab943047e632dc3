import { type ComponentChild, h } from 'preact';
import { text } from './api';
import type { Ctx } from './ctx';

interface Row {
  travelerRef?: string;
  outcome?: string;
  recommendedAction?: string;
  reasons?: unknown[];
  [k: string]: unknown;
}

/** A flight's assessment as a table, one row per traveler, matches first. */
export function RiskTable(props: { ctx: Ctx; payload: Record<string, unknown> }): ComponentChild {
  const { t } = props.ctx;
  const list =
    Object.values(props.payload).find(
      (v): v is Row[] => Array.isArray(v) && v.every((x) => x && typeof x === 'object'),
    ) ?? [];
  const score = (r: Row) => (/NO_MATCH|CLEAR/i.test(text(r.outcome)) ? 1 : 0);
  const rows = [...list].sort((a, b) => score(a) - score(b));
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
        h('tr', { class: score(r) === 0 ? 'match' : '' }, [
          h('td', null, text(r.travelerRef ?? r.ref)),
          h('td', null, text(r.outcome)),
          h('td', null, text(r.recommendedAction)),
          h(
            'td',
            null,
            (r.reasons ?? []).map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('; '),
          ),
        ]),
      ),
    ),
  ]);
}
