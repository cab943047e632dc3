import { type ComponentChild, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  type Agreement,
  Api,
  ApiError,
  type FieldError,
  type Message,
  type OpenApi,
  openApiDocument,
  READ_PURPOSES,
  type ReadPurpose,
  shortType,
} from './api';
import { explainReason, formatDate, type Key, type Lang, LANGS, translate } from './i18n';
import { prune, SchemaForm, payloadSchema, type Value } from './schema-form';
import type { Ctx } from './ctx';
import { RiskTable } from './risk-table';

const TOKEN_KEY = 'puente.console.token';
const PURPOSE_KEY = 'puente.console.purpose';
const PAGE_SIZE = 20;

/** Read marks are this browser's, per node and client: what this officer has opened here. */
function readMarks(party: string): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(`puente.console.read.${party}`) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}
function markRead(party: string, id: string): void {
  const marks = readMarks(party);
  marks.add(id);
  localStorage.setItem(`puente.console.read.${party}`, JSON.stringify([...marks].slice(-5000)));
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function App(props: { initialLang: Lang }): ComponentChild {
  const [lang, setLang] = useState<Lang>(props.initialLang);
  const [token, setToken] = useState<string | null>(sessionStorage.getItem(TOKEN_KEY));
  const [purpose, setPurpose] = useState<ReadPurpose>(storedPurpose());
  const [party, setParty] = useState('');
  const hash = useHash();
  const t = (key: Key, vars?: Record<string, string | number>) => translate(lang, key, vars);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('title');
    localStorage.setItem('puente.console.lang', lang);
  }, [lang]);
  useEffect(() => {
    void new Api('').party().then(setParty, () => setParty(''));
  }, []);

  const switcher = h('div', { class: 'lang' }, [
    h('label', { for: 'lang' }, t('language')),
    h(
      'select',
      {
        id: 'lang',
        value: lang,
        onChange: (e: Event) => setLang((e.target as HTMLSelectElement).value as Lang),
      },
      LANGS.map((l) => h('option', { value: l }, l === 'es' ? 'Español' : 'English')),
    ),
  ]);
  const header = (nav: ComponentChild | null) =>
    h('header', null, [
      h('a', { class: 'skip', href: '#main' }, t('skipToMain')),
      h('h1', null, `${t('title')}${party ? ` · ${party}` : ''}`),
      nav,
      switcher,
    ]);

  if (!token)
    return h('div', null, [
      header(null),
      h(
        'main',
        { id: 'main' },
        h(SignIn, {
          t,
          onToken: (tok: string, why: ReadPurpose) => {
            sessionStorage.setItem(TOKEN_KEY, tok);
            sessionStorage.setItem(PURPOSE_KEY, why);
            setPurpose(why);
            setToken(tok);
          },
        }),
      ),
    ]);

  const ctx: Ctx = { api: new Api(token, purpose), lang, party, t };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
  };
  const nav = h('nav', { 'aria-label': 'main' }, [
    h('a', { href: '#/inbox' }, t('inbox')),
    h('a', { href: '#/compose' }, t('compose')),
    h('button', { type: 'button', class: 'secondary', onClick: signOut }, t('signOut')),
  ]);
  const [route, query] = hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(query ?? '');
  let view: ComponentChild;
  if (route?.startsWith('case/')) view = h(CaseView, { ctx, id: route.slice(5), key: route });
  else if (route === 'compose')
    view = h(Compose, { ctx, reply: params.get('reply'), kind: params.get('type'), key: hash });
  else view = h(Inbox, { ctx });
  return h('div', null, [header(nav), h('main', { id: 'main', tabIndex: -1 }, view)]);
}

function storedPurpose(): ReadPurpose {
  const stored = sessionStorage.getItem(PURPOSE_KEY);
  return READ_PURPOSES.find((p) => p === stored) ?? 'case-handling';
}

function SignIn(props: { t: Ctx['t']; onToken(token: string, purpose: ReadPurpose): void }): ComponentChild {
  const { t } = props;
  const [value, setValue] = useState('');
  const [purpose, setPurpose] = useState<ReadPurpose>('case-handling');
  const [failed, setFailed] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await new Api(value.trim(), purpose).inbox();
      props.onToken(value.trim(), purpose);
    } catch {
      setFailed(true);
    }
  };
  return h('form', { class: 'card signin', onSubmit: (e: Event) => void submit(e) }, [
    h('h2', null, t('signInTitle')),
    h('p', { id: 'token-help' }, t('signInHelp')),
    h('label', { for: 'token' }, t('token')),
    h('input', {
      id: 'token',
      type: 'password',
      autocomplete: 'off',
      'aria-describedby': 'token-help',
      value,
      onInput: (e: Event) => setValue((e.target as HTMLInputElement).value),
    }),
    h('label', { for: 'read-purpose' }, t('readPurpose')),
    h(
      'select',
      {
        id: 'read-purpose',
        'aria-describedby': 'read-purpose-help',
        value: purpose,
        onChange: (e: Event) => setPurpose((e.target as HTMLSelectElement).value as ReadPurpose),
      },
      READ_PURPOSES.map((p) => h('option', { value: p }, t(`purpose_${p}` as Key))),
    ),
    h('p', { id: 'read-purpose-help', class: 'help' }, t('readPurposeHelp')),
    failed ? h('p', { class: 'error', role: 'alert' }, t('signInFailed')) : null,
    h('button', { type: 'submit' }, t('signIn')),
  ]);
}

function statusText(ctx: Ctx, status: string): string {
  const key = `status_${status}` as Key;
  return key in
    {
      status_queued: 1,
      status_sent: 1,
      status_delivered: 1,
      status_rejected: 1,
      status_failed: 1,
      status_accepted: 1,
    }
    ? ctx.t(key)
    : status;
}

function Inbox(props: { ctx: Ctx }): ComponentChild {
  const { ctx } = props;
  const { t } = ctx;
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [error, setError] = useState('');
  const [filter, setFilter] = useState({
    type: '',
    counterpart: '',
    agreement: '',
    status: '',
    overdue: false,
  });
  const [page, setPage] = useState(0);
  const [direction, setDirection] = useState<'received' | 'sent'>('received');
  useEffect(() => {
    setMessages(null);
    const load = () =>
      (direction === 'sent' ? ctx.api.sent() : ctx.api.inbox()).then(setMessages, (e: unknown) =>
        setError(String((e as Error).message)),
      );
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [direction]);
  const counterpartOf = (m: Message) => (m.direction === 'outbound' ? m.to : m.from);
  if (error) return h('p', { class: 'error', role: 'alert' }, error);
  if (!messages) return h('p', null, t('loading'));
  const marks = readMarks(ctx.party);
  const distinct = (f: (m: Message) => string) => [...new Set(messages.map(f))].sort();
  const shown = messages
    .filter(
      (m) =>
        (!filter.type || shortType(m.type) === filter.type) &&
        (!filter.counterpart || counterpartOf(m) === filter.counterpart) &&
        (!filter.agreement || m.agreement === filter.agreement) &&
        (!filter.status || m.status === filter.status) &&
        (!filter.overdue || m.overdue),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const select = (id: keyof typeof filter, label: string, options: string[]) =>
    h('div', { class: 'field' }, [
      h('label', { for: `filter-${id}` }, label),
      h(
        'select',
        {
          id: `filter-${id}`,
          value: String(filter[id]),
          onChange: (e: Event) => {
            setFilter({ ...filter, [id]: (e.target as HTMLSelectElement).value });
            setPage(0);
          },
        },
        [h('option', { value: '' }, t('any')), ...options.map((o) => h('option', { value: o }, o))],
      ),
    ]);
  return h('section', { 'aria-labelledby': 'inbox-title' }, [
    h(
      'h2',
      { id: 'inbox-title' },
      `${t('inbox')} · ${direction === 'sent' ? t('sentPlural') : t('received')}`,
    ),
    h('form', { class: 'filters', 'aria-label': t('filters'), onSubmit: (e: Event) => e.preventDefault() }, [
      h('div', { class: 'field' }, [
        h('label', { for: 'filter-direction' }, t('direction')),
        h(
          'select',
          {
            id: 'filter-direction',
            value: direction,
            onChange: (e: Event) => {
              setDirection((e.target as HTMLSelectElement).value as 'received' | 'sent');
              setFilter({ type: '', counterpart: '', agreement: '', status: '', overdue: false });
              setPage(0);
            },
          },
          [
            h('option', { value: 'received' }, t('received')),
            h('option', { value: 'sent' }, t('sentPlural')),
          ],
        ),
      ]),
      select(
        'type',
        t('type'),
        distinct((m) => shortType(m.type)),
      ),
      select('counterpart', t('counterpart'), distinct(counterpartOf)),
      select(
        'agreement',
        t('agreement'),
        distinct((m) => m.agreement),
      ),
      select(
        'status',
        t('status'),
        distinct((m) => m.status),
      ),
      h('div', { class: 'field check' }, [
        h('input', {
          id: 'filter-overdue',
          type: 'checkbox',
          checked: filter.overdue,
          onChange: (e: Event) => setFilter({ ...filter, overdue: (e.target as HTMLInputElement).checked }),
        }),
        h('label', { for: 'filter-overdue' }, t('overdueOnly')),
      ]),
    ]),
    shown.length === 0
      ? h('p', null, t('noMessages'))
      : h('table', { class: 'inbox' }, [
          h('caption', null, t('newestFirst')),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              [
                t('status'),
                t('type'),
                t('counterpart'),
                t('agreement'),
                t('receivedAt'),
                t('replyBy'),
                '',
              ].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            null,
            shown.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((m) => {
              const unread = !marks.has(m.id);
              const replyBy = typeof m.payload.replyBy === 'string' ? m.payload.replyBy : undefined;
              return h(
                'tr',
                { class: `${unread ? 'unread' : ''}${m.overdue ? ' overdue' : ''}`, 'data-message': m.id },
                [
                  h('td', null, [
                    unread ? h('span', { class: 'badge' }, t('unread')) : t('read'),
                    m.overdue ? h('span', { class: 'badge warn' }, t('overdue')) : null,
                  ]),
                  h('td', null, shortType(m.type)),
                  h('td', null, counterpartOf(m)),
                  h('td', null, m.agreement),
                  h('td', null, formatDate(ctx.lang, m.createdAt)),
                  h('td', null, formatDate(ctx.lang, replyBy)),
                  h(
                    'td',
                    null,
                    h(
                      'a',
                      { href: `#/case/${m.conversationId}`, onClick: () => markRead(ctx.party, m.id) },
                      `${t('open')} ${shortType(m.type)} · ${counterpartOf(m)}`,
                    ),
                  ),
                ],
              );
            }),
          ),
        ]),
    h('nav', { class: 'pager', 'aria-label': 'pages' }, [
      h(
        'button',
        { type: 'button', class: 'secondary', disabled: current === 0, onClick: () => setPage(current - 1) },
        t('previous'),
      ),
      h('span', null, t('page', { n: current + 1, total: pages })),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          disabled: current >= pages - 1,
          onClick: () => setPage(current + 1),
        },
        t('next'),
      ),
    ]),
  ]);
}

const ANSWERS: { type: string; key: Key }[] = [
  { type: 'AssistanceResponse', key: 'respond' },
  { type: 'Refusal', key: 'refuse' },
  { type: 'SpontaneousInformation', key: 'spontaneous' },
];

function CaseView(props: { ctx: Ctx; id: string }): ComponentChild {
  const { ctx } = props;
  const { t } = ctx;
  const [thread, setThread] = useState<Message[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const load = () =>
      ctx.api.conversation(props.id).then(
        (list) => {
          list.forEach((m) => m.direction === 'inbound' && markRead(ctx.party, m.id));
          setThread(list);
        },
        (e: unknown) => setError(String((e as Error).message)),
      );
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [props.id]);
  if (error) return h('p', { class: 'error', role: 'alert' }, error);
  if (!thread) return h('p', null, t('loading'));
  const sorted = [...thread].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return h('section', { 'aria-labelledby': 'case-title' }, [
    h('h2', { id: 'case-title' }, `${t('caseView')} · ${t('conversation')} ${props.id.slice(0, 8)}`),
    h(
      'ol',
      { class: 'thread' },
      sorted.map((m) =>
        h(
          'li',
          { class: `msg ${m.direction}`, 'data-type': shortType(m.type), 'data-message': m.id },
          h(MessageCard, { ctx, m }),
        ),
      ),
    ),
  ]);
}

function MessageCard(props: { ctx: Ctx; m: Message }): ComponentChild {
  const { ctx, m } = props;
  const { t } = ctx;
  const replyBy = typeof m.payload.replyBy === 'string' ? m.payload.replyBy : undefined;
  const isRequest = m.direction === 'inbound' && shortType(m.type) === 'AssistanceRequest';
  const risk = shortType(m.type) === 'RiskAssessment';
  return h('article', { class: 'card' }, [
    h(
      'h3',
      null,
      `${m.direction === 'outbound' ? t('sent') : t('receivedDir')}: ${shortType(m.type)} · ${m.from} → ${m.to}`,
    ),
    h('dl', { class: 'facts' }, [
      h('dt', null, t('status')),
      h('dd', { class: 'status', 'data-status': m.status }, statusText(ctx, m.status)),
      h('dt', null, t('agreement')),
      h('dd', null, m.agreement),
      h('dt', null, t('purpose')),
      h('dd', null, m.purpose),
      h('dt', null, t('sentAt')),
      h('dd', null, formatDate(ctx.lang, m.createdAt)),
      h('dt', null, t('expiresAt')),
      h('dd', null, formatDate(ctx.lang, m.expiresAt)),
      replyBy
        ? [
            h('dt', null, t('replyBy')),
            h(
              'dd',
              { class: m.overdue ? 'warn' : '' },
              `${formatDate(ctx.lang, replyBy)}${m.overdue ? ` · ${t('overdue')}` : ''}`,
            ),
          ]
        : null,
      h('dt', null, t('receipt')),
      h(
        'dd',
        { class: 'receipt' },
        m.receipt
          ? `${m.receipt.outcome === 'ACCEPTED' ? t('accepted') : t('rejected')} · ${formatDate(ctx.lang, m.receipt.at)}${m.receipt.reasonCode ? ` · ${m.receipt.reasonCode}: ${explainReason(ctx.lang, m.receipt.reasonCode)}` : ''}`
          : t('noReceipt'),
      ),
    ]),
    m.redactedAt
      ? h('p', { class: 'removed' }, t('removed'))
      : m.personalDataWithheld
        ? h(
            'p',
            { class: 'removed', role: 'note' },
            t(m.withheldBy === 'purpose' ? 'withheldPurpose' : 'withheldRole'),
          )
        : risk
          ? h(RiskTable, { ctx, payload: m.payload })
          : h('details', { open: true }, [
              h('summary', null, t('contents')),
              h('pre', null, JSON.stringify(m.payload, null, 2)),
            ]),
    isRequest
      ? h(
          'div',
          { class: 'actions', role: 'group', 'aria-label': t('answer') },
          ANSWERS.map((a) =>
            h('a', { class: 'button', href: `#/compose?reply=${m.id}&type=${a.type}` }, t(a.key)),
          ),
        )
      : null,
  ]);
}

/** What may be offered: (recipient, type) pairs the agreement's channels name and the node's decision permits. */
async function permittedPairs(ctx: Ctx, a: Agreement): Promise<{ to: string; type: string }[]> {
  const pairs = new Map<string, { to: string; type: string }>();
  for (const c of a.channels)
    if (c.from.includes(ctx.party))
      for (const to of c.to)
        for (const type of c.types) if (to !== ctx.party) pairs.set(`${to} ${type}`, { to, type });
  const out: { to: string; type: string }[] = [];
  for (const p of pairs.values()) {
    for (const purpose of a.purposes) {
      const d = await ctx.api.decide({ ...p, agreement: a.id, purpose });
      if (d.permitted) {
        out.push(p);
        break;
      }
      // Only a purpose refusal can turn with another purpose: anything else refuses the pair.
      if (d.reason !== 'PURPOSE_NOT_PERMITTED') break;
    }
  }
  return out;
}

function Compose(props: { ctx: Ctx; reply: string | null; kind: string | null }): ComponentChild {
  const { ctx } = props;
  const { t } = ctx;
  const [doc, setDoc] = useState<OpenApi | null>(null);
  const [agreements, setAgreements] = useState<Agreement[]>([]);
  const [original, setOriginal] = useState<Message | null>(null);
  const [agreement, setAgreement] = useState('');
  const [pairs, setPairs] = useState<{ to: string; type: string }[] | null>(null);
  const [pairsFor, setPairsFor] = useState('');
  const [to, setTo] = useState('');
  const [type, setType] = useState('');
  const [purposes, setPurposes] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('');
  const [payload, setPayload] = useState<Value>({});
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [refusal, setRefusal] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    void openApiDocument().then(setDoc);
    void ctx.api.agreements().then(setAgreements);
    if (props.reply)
      void ctx.api.message(props.reply).then((m) => {
        setOriginal(m);
        setAgreement(m.agreement);
        setTo(m.from);
        setType(props.kind ?? 'AssistanceResponse');
        setPurpose(m.purpose);
        setPayload(
          typeof m.payload.caseReference === 'string' ? { caseReference: m.payload.caseReference } : {},
        );
      });
  }, []);
  useEffect(() => {
    if (props.reply) return;
    setPairs(null);
    setTo('');
    setType('');
    setPurpose('');
    const a = agreements.find((x) => x.id === agreement);
    if (a)
      void permittedPairs(ctx, a).then((found) => {
        setPairs(found);
        setPairsFor(a.id);
      });
  }, [agreement, agreements]);
  useEffect(() => {
    setPurposes([]);
    const a = agreements.find((x) => x.id === agreement);
    if (!a || !to || !type) return;
    void (async () => {
      const ok: string[] = [];
      for (const p of a.purposes) {
        const d = await ctx.api.decide({
          to,
          type,
          agreement: a.id,
          purpose: p,
          ...(original && { inReplyTo: original.id }),
        });
        if (d.permitted) ok.push(p);
      }
      setPurposes(ok);
      if (!ok.includes(purpose)) setPurpose(ok[0] ?? '');
    })();
  }, [agreement, to, type, agreements, original]);

  const schema = doc && type ? payloadSchema(doc, type) : undefined;
  const submission = {
    type,
    to,
    agreement,
    purpose,
    ...(original && { inReplyTo: original.id }),
    payload: (prune(payload) as Value | undefined) ?? {},
  };
  const send = async () => {
    setSending(true);
    try {
      const r = await ctx.api.submit(submission);
      location.hash = `#/case/${r.conversationId}`;
    } catch (e) {
      setPreviewing(false);
      if (e instanceof ApiError && e.errors.length) {
        setErrors(e.errors);
        setRefusal(t('fixErrors', { n: e.errors.length }));
      } else
        setRefusal(
          t('refusedBy', {
            reason: e instanceof ApiError ? `${e.code}: ${explainReason(ctx.lang, e.code)}` : String(e),
          }),
        );
    } finally {
      setSending(false);
    }
  };
  const choices = pairs ?? [];
  const recipients = [...new Set(choices.map((p) => p.to))];
  const types = choices.filter((p) => p.to === to).map((p) => p.type);
  const sel = (
    id: string,
    label: string,
    value: string,
    options: string[],
    on: (v: string) => void,
    disabled = false,
    extra: Record<string, string> = {},
  ) =>
    h('div', { class: 'field' }, [
      h('label', { for: id }, label),
      h(
        'select',
        {
          id,
          value,
          disabled,
          required: true,
          ...extra,
          onChange: (e: Event) => on((e.target as HTMLSelectElement).value),
        },
        [h('option', { value: '' }, '—'), ...options.map((o) => h('option', { value: o }, o))],
      ),
    ]);

  return h('section', { 'aria-labelledby': 'compose-title' }, [
    h(
      'h2',
      { id: 'compose-title' },
      original ? `${t('answer')} · ${shortType(original.type)} ${original.from}` : t('compose'),
    ),
    original ? h('p', null, `${t('inReplyTo')}: ${original.id}`) : null,
    refusal ? h('p', { class: 'error', role: 'alert', id: 'refusal' }, refusal) : null,
    previewing
      ? h('div', { class: 'card preview', 'aria-labelledby': 'preview-title' }, [
          h('h3', { id: 'preview-title' }, t('preview')),
          h('p', null, t('previewHelp')),
          h('dl', { class: 'facts' }, [
            h('dt', null, t('agreement')),
            h('dd', null, agreement),
            h('dt', null, t('recipient')),
            h('dd', null, to),
            h('dt', null, t('type')),
            h('dd', null, type),
            h('dt', null, t('purpose')),
            h('dd', null, purpose),
          ]),
          h('pre', null, JSON.stringify(submission.payload, null, 2)),
          h('button', { type: 'button', class: 'secondary', onClick: () => setPreviewing(false) }, t('edit')),
          h(
            'button',
            { type: 'button', id: 'send', disabled: sending, onClick: () => void send() },
            sending ? t('sending') : t('send'),
          ),
        ])
      : h(
          'form',
          {
            class: 'card compose',
            onSubmit: (e: Event) => {
              e.preventDefault();
              setPreviewing(true);
            },
          },
          [
            original
              ? h('dl', { class: 'facts' }, [
                  h('dt', null, t('agreement')),
                  h('dd', null, agreement),
                  h('dt', null, t('recipient')),
                  h('dd', null, to),
                ])
              : [
                  sel(
                    'agreement',
                    t('agreement'),
                    agreement,
                    agreements.map((a) => a.id),
                    setAgreement,
                  ),
                  agreement && pairs && choices.length === 0 ? h('p', null, t('nothingPermitted')) : null,
                  sel(
                    'recipient',
                    t('recipient'),
                    to,
                    recipients,
                    (v) => {
                      setTo(v);
                      setType('');
                    },
                    !pairs,
                    // Which agreement's decisions the offered recipients come from (tests wait on it).
                    { 'data-for': pairs ? pairsFor : '' },
                  ),
                ],
            sel(
              'type',
              t('type'),
              type,
              original ? ANSWERS.map((a) => a.type) : types,
              setType,
              !original && !to,
            ),
            sel('purpose', t('purpose'), purpose, purposes, setPurpose, purposes.length === 0),
            schema && doc
              ? h(SchemaForm, { doc, schema, value: payload, errors, lang: ctx.lang, onChange: setPayload })
              : null,
            h('button', { type: 'submit', id: 'preview', disabled: !schema || !purpose }, t('preview')),
          ],
        ),
  ]);
}
