// The ops dashboard's only script, inlined into the page at start-up (dashboard.page.ts) and allowed
// by its hash in the CSP. Plain browser JavaScript, no build step, no libraries. Every value shown
// comes from flow-event metadata and is written with textContent, never as HTML.
(() => {
  'use strict';

  const TOKEN_KEY = 'puente.ops.token';
  const TRAIL_REFRESH_MS = 2000;
  const FEED_SIZE = 40;
  const MAX_PULSES = 80;
  const RECEIPT_TYPE = 'puente.common.v1.Receipt';
  const OK = new Set(['OK', 'ACCEPTED', 'DUPLICATE']);
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const NODE_R = 36;

  const state = {
    token: null,
    stream: null,
    retryMs: 1000,
    partiesKey: '',
    positions: new Map(),
    edges: new Map(),
    pulses: 0,
    trail: null, // { id, lastMs }
    feed: [],
  };

  const $ = (id) => document.getElementById(id);

  /** Builds an element; `attrs.text` becomes its text, `attrs.class` its class, the rest attributes. */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.className = v;
      else node.setAttribute(k, String(v));
    }
    for (const c of children) node.append(c);
    return node;
  }

  function svg(tag, attrs = {}) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }

  function td(text, cls) {
    return el('td', { text: text === null || text === undefined || text === '' ? '–' : text, class: cls });
  }

  function fillBody(body, rows, emptyText, columns) {
    body.replaceChildren(...rows);
    if (rows.length === 0)
      body.append(el('tr', {}, [el('td', { text: emptyText, class: 'empty', colspan: columns })]));
  }

  const fmt = {
    ms(v) {
      if (v === null || v === undefined) return '–';
      return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;
    },
    rate: (v) => (v > 0 ? v.toFixed(2) : '0'),
    time: (iso) => (iso ? iso.slice(11, 23) : '–'),
    type: (t) => (t ? t.split('.').pop() : ''),
    link: (a, b) => (a || b ? `${a || '?'} → ${b || '?'}` : ''),
    age(iso) {
      if (!iso) return 'never';
      const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
      return s < 90 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
    },
    delta: (v) => (v === null ? '' : v < 0 ? `−${fmt.ms(-v)}` : `+${fmt.ms(v)}`),
    bytes: (v) => (v === undefined ? '' : v < 1024 ? `${v} B` : `${(v / 1024).toFixed(1)} KB`),
  };

  // ------------------------------------------------------------------ sign-in

  class AuthError extends Error {}

  async function api(path) {
    const res = await fetch(path, {
      headers: { authorization: `Bearer ${state.token}`, accept: 'application/json' },
      cache: 'no-store',
    });
    if (res.status === 401 || res.status === 403) {
      const body = await res.json().catch(() => ({}));
      throw new AuthError(body.message || `the monitor answered ${res.status}`);
    }
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return res.json();
  }

  /** A link may carry the token once in its fragment (never sent to the server); it is moved to session storage. */
  function tokenFromFragment() {
    const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (!match) return;
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }

  async function signIn(token) {
    state.token = token;
    try {
      const summary = await api('/api/summary');
      sessionStorage.setItem(TOKEN_KEY, token);
      $('auth').hidden = true;
      $('main').hidden = false;
      $('sign-out').hidden = false;
      $('auth-error').textContent = '';
      renderSummary(summary);
      connect();
    } catch (error) {
      signOut(error instanceof AuthError ? error.message : `cannot reach the monitor: ${error.message}`);
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.stream?.abort();
    state.stream = null;
    setConnection('signed-out');
    $('main').hidden = true;
    $('sign-out').hidden = true;
    $('auth').hidden = false;
    $('auth-error').textContent = message || '';
  }

  function setConnection(s) {
    const pill = $('conn');
    pill.dataset.state = s;
    pill.textContent = s.replace('-', ' ');
  }

  // ------------------------------------------------------------------ live stream

  /**
   * Server-Sent Events read with fetch, not EventSource: EventSource cannot send an Authorization
   * header, and the token must not go into the URL. Reconnects with backoff; a 401/403 signs out.
   */
  async function connect() {
    state.stream?.abort();
    const controller = new AbortController();
    state.stream = controller;
    setConnection('connecting');
    try {
      const res = await fetch('/api/stream', {
        headers: { authorization: `Bearer ${state.token}`, accept: 'text/event-stream' },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (res.status === 401 || res.status === 403) {
        const body = await res.json().catch(() => ({}));
        signOut(body.message || 'the token is no longer accepted');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      setConnection('live');
      state.retryMs = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          dispatch(buffer.slice(0, i));
          buffer = buffer.slice(i + 2);
        }
      }
    } catch {
      // network error or abort: handled below
    }
    if (controller.signal.aborted || state.stream !== controller) return;
    setConnection('offline');
    setTimeout(() => state.token && state.stream === controller && connect(), state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 10000);
  }

  function dispatch(block) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    let payload;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    if (type === 'summary') renderSummary(payload);
    else if (type === 'flow') onFlow(payload);
  }

  // ------------------------------------------------------------------ summary

  function renderSummary(s) {
    $('generated').textContent = `updated ${fmt.time(s.generatedAt)} UTC`;
    const history = `last ${Math.round(s.windows.historySeconds / 60)} min`;
    $('map-note').textContent = history;
    $('links-note').textContent = history;
    $('refusals-note').textContent = history;
    $('latency-note').textContent = `last ${Math.round(s.windows.latencySeconds / 60)} min`;
    $('overdue-note').textContent =
      `no next stage after ${s.windows.overdueAfterSeconds} s · ${s.overdue.total} in all`;
    renderMap(s);
    renderNodes(s.nodes);
    renderLinks(s.links);
    renderLatency(s.latency);
    renderRefusals(s.refusals);
    renderOverdue(s.overdue.items);
    const i = s.ingest;
    $('ingest').textContent =
      `flow topic ${s.consumer.topic} (${s.consumer.running ? 'consuming' : 'not consuming'}) · ` +
      `${i.ingested} events ingested · ${i.held} of ${i.capacity} held · ${i.invalid} invalid · ${i.stale} stale` +
      (i.evictedEarly > 0 ? ` · ${i.evictedEarly} evicted early (window full)` : '');
    if (state.trail && Date.now() - state.trail.lastMs >= TRAIL_REFRESH_MS)
      void showTrail(state.trail.id, true);
  }

  function renderNodes(nodes) {
    const rows = nodes.map((n) =>
      el('tr', { 'data-testid': `node-health-${n.party}`, 'data-state': n.state }, [
        td(n.party),
        el('td', {}, [el('span', { class: `badge ${n.state}`, text: n.state })]),
        td(n.outboxBacklog, 'num'),
        td(n.inboxConsumerLag, 'num'),
        td(n.awaitingReceipt, 'num'),
        td(n.dlqDepth, 'num'),
        td([...n.failingChecks, n.error].filter(Boolean).join(', ')),
        el('td', {
          text: fmt.age(n.lastPolledAt),
          title: n.responseMs === null ? null : `answered in ${n.responseMs} ms`,
        }),
      ]),
    );
    fillBody($('nodes-body'), rows, 'No nodes configured (PUENTE_MONITOR_NODES).', 8);
  }

  function renderLinks(links) {
    const rows = links.map((l) =>
      el('tr', { 'data-testid': `link-${l.from}-${l.to}-${l.agreementId || 'none'}` }, [
        td(fmt.link(l.from, l.to)),
        td(l.agreementId || 'no agreement', 'code'),
        td(l.sent, 'num'),
        td(fmt.rate(l.sentPerSecond.last1m), 'num'),
        td(fmt.rate(l.sentPerSecond.last5m), 'num'),
        td(l.delivered, 'num'),
        td(l.refused, 'num'),
        td(l.rejected, 'num'),
        td(l.failed, 'num'),
        td(fmt.age(l.lastAt)),
      ]),
    );
    fillBody($('links-body'), rows, 'No messages in the window.', 10);
  }

  function renderLatency(latency) {
    const series = [['end to end', 'end-to-end', latency.endToEnd]].concat(
      Object.entries(latency.stages).map(([stage, p]) => [stage, stage, p]),
    );
    const rows = series
      .filter(([, , p], i) => i === 0 || p.count > 0)
      .map(([label, id, p]) =>
        el('tr', { 'data-testid': `latency-${id}` }, [
          td(label),
          td(p.count, 'num'),
          td(fmt.ms(p.p50), 'num'),
          td(fmt.ms(p.p95), 'num'),
          td(fmt.ms(p.p99), 'num'),
          td(fmt.ms(p.max), 'num'),
        ]),
      );
    fillBody($('latency-body'), rows, '', 6);
  }

  function renderRefusals(refusals) {
    const rows = refusals.map((r) =>
      el('tr', { 'data-testid': `refusal-${r.reason}`, 'data-count': r.count }, [
        el('td', {}, [el('span', { class: 'badge refused code', text: r.reason })]),
        td(r.count, 'num'),
        td(
          Object.entries(r.byStage)
            .map(([stage, n]) => `${stage} ${n}`)
            .join(', '),
        ),
        td(fmt.link(r.lastFrom, r.lastTo)),
        td(r.lastRule, 'code wrap'),
        td(`${fmt.time(r.lastAt)} on ${r.lastNode}`),
      ]),
    );
    fillBody($('refusals-body'), rows, 'No refusals in the window.', 6);
  }

  function renderOverdue(items) {
    const rows = items.map((o) =>
      el('tr', { 'data-testid': `overdue-${o.messageId}` }, [
        el('td', { class: 'wrap' }, [trailLink(o.messageId)]),
        td(fmt.link(o.from, o.to)),
        td(fmt.type(o.type)),
        td(o.waitingFor),
        td(`${o.ageSeconds} s`, 'num'),
      ]),
    );
    fillBody($('overdue-body'), rows, 'Nothing overdue.', 5);
  }

  function trailLink(id) {
    const a = el('a', { class: 'id code', text: id, href: '#', 'data-id': id });
    a.addEventListener('click', (event) => {
      event.preventDefault();
      $('trail-id').value = id;
      void showTrail(id, false);
    });
    return a;
  }

  // ------------------------------------------------------------------ map

  /** Administrations on an ellipse in a stable (alphabetical) order; with two, one each side. */
  function layout(parties) {
    const positions = new Map();
    const n = parties.length;
    parties.forEach((p, i) => {
      const angle = Math.PI + (2 * Math.PI * i) / Math.max(n, 1);
      positions.set(
        p,
        n === 1 ? { x: 400, y: 210 } : { x: 400 + 300 * Math.cos(angle), y: 210 + 150 * Math.sin(angle) },
      );
    });
    return positions;
  }

  function renderMap(s) {
    const key = s.parties.join(',');
    if (key !== state.partiesKey) {
      state.partiesKey = key;
      state.positions = layout(s.parties);
      $('map-edges').replaceChildren();
      $('map-nodes').replaceChildren();
      state.edges.clear();
      for (const party of s.parties) drawNode(party);
    }
    for (const n of s.nodes) updateNode(n);
    drawEdges(s.links);
  }

  function drawNode(party) {
    const { x, y } = state.positions.get(party);
    const g = svg('g', { class: 'node', 'data-testid': `map-node-${party}`, 'data-state': 'unknown' });
    g.append(svg('circle', { cx: x, cy: y, r: NODE_R }));
    const name = svg('text', { x, y: y + 4 });
    name.textContent = party;
    const sub = svg('text', { x, y: y + NODE_R + 16, class: 'sub' });
    g.append(name, sub);
    $('map-nodes').append(g);
  }

  function updateNode(n) {
    const g = document.querySelector(`[data-testid="map-node-${CSS.escape(n.party)}"]`);
    if (!g) return;
    g.dataset.state = n.state;
    const parts = [n.state];
    if (n.outboxBacklog !== null) parts.push(`outbox ${n.outboxBacklog}`);
    if (n.inboxConsumerLag !== null) parts.push(`lag ${n.inboxConsumerLag}`);
    g.querySelector('text.sub').textContent = parts.join(' · ');
  }

  /** One edge per direction between two administrations; its label lists the agreements it carried. */
  function drawEdges(links) {
    const pairs = new Map();
    for (const l of links) {
      const k = `${l.from}|${l.to}`;
      const pair = pairs.get(k) || { from: l.from, to: l.to, links: [] };
      pair.links.push(l);
      pairs.set(k, pair);
    }
    for (const [k, edge] of state.edges) {
      if (!pairs.has(k)) {
        edge.g.remove();
        state.edges.delete(k);
      }
    }
    for (const [k, pair] of pairs) {
      const a = state.positions.get(pair.from);
      const b = state.positions.get(pair.to);
      if (!a || !b || pair.from === pair.to) continue;
      let edge = state.edges.get(k);
      if (!edge) {
        edge = createEdge(pair, a, b);
        state.edges.set(k, edge);
      }
      updateEdge(edge, pair.links);
    }
    declutterLabels();
  }

  /** Edges that cross mid-map would stack their labels: nudge each one down until it overlaps no earlier one. */
  function declutterLabels() {
    const placed = [];
    for (const edge of state.edges.values()) {
      edge.label.removeAttribute('transform');
      const box = edge.label.getBBox();
      let shift = 0;
      const hits = (b) =>
        placed.some(
          (p) =>
            b.x < p.x + p.width &&
            p.x < b.x + b.width &&
            b.y + shift < p.y + p.height &&
            p.y < b.y + shift + b.height,
        );
      for (let tries = 0; hits(box) && tries < 12; tries++) shift += 14;
      if (shift) edge.label.setAttribute('transform', `translate(0 ${shift})`);
      placed.push({ x: box.x, y: box.y + shift, width: box.width, height: box.height });
    }
  }

  function createEdge(pair, a, b) {
    // A quadratic curve bowed to the right of the direction of travel, so A→B and B→A never overlap.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy);
    const ux = dx / len;
    const uy = dy / len;
    const start = { x: a.x + ux * NODE_R, y: a.y + uy * NODE_R };
    const end = { x: b.x - ux * (NODE_R + 4), y: b.y - uy * (NODE_R + 4) };
    const bend = Math.min(70, len / 4);
    const c = { x: (a.x + b.x) / 2 - uy * bend, y: (a.y + b.y) / 2 + ux * bend };
    const g = svg('g', { class: 'edge', 'data-testid': `flow-edge-${pair.from}-${pair.to}` });
    const path = svg('path', {
      class: 'line',
      d: `M${start.x},${start.y} Q${c.x},${c.y} ${end.x},${end.y}`,
      'marker-end': 'url(#arrow)',
    });
    // The label sits just outside the curve's middle, on the side it bows to, clear of the line.
    const mid = {
      x: 0.25 * start.x + 0.5 * c.x + 0.25 * end.x - uy * 16,
      y: 0.25 * start.y + 0.5 * c.y + 0.25 * end.y + ux * 16 + 4,
    };
    const label = svg('text', { x: mid.x, y: mid.y, 'text-anchor': 'middle' });
    const title = svg('title');
    g.append(path, label, title);
    $('map-edges').append(g);
    return { g, path, label, title, mid, active: 0 };
  }

  function updateEdge(edge, links) {
    const total = (f) => links.reduce((sum, l) => sum + f(l), 0);
    const sent = total((l) => l.sent);
    const refused = total((l) => l.refused);
    const moved = total((l) => l.sent + l.received + l.rejected);
    const rate = total((l) => l.sentPerSecond.last1m);
    const refusedOnly = moved === 0 && refused > 0;
    edge.g.dataset.sent = String(sent);
    edge.g.dataset.refused = String(refused);
    edge.g.dataset.delivered = String(total((l) => l.delivered));
    edge.g.dataset.agreements = links.map((l) => l.agreementId || 'none').join(',');
    edge.g.classList.toggle('refused-only', refusedOnly);
    edge.path.setAttribute('marker-end', refusedOnly ? 'url(#arrow-refused)' : 'url(#arrow)');
    // Thicker with volume in the window and with the current rate, capped so the map stays legible.
    const width = 1.5 + Math.min(10, 1.6 * Math.log2(1 + moved) + 4 * Math.sqrt(rate));
    edge.path.setAttribute('stroke-width', width.toFixed(1));

    const lines = links.length;
    edge.label.replaceChildren(
      ...links.map((l, i) => {
        const t = svg('tspan', { x: edge.mid.x, dy: i === 0 ? `${-(lines - 1) * 0.6}em` : '1.2em' });
        const rateText = l.sentPerSecond.last1m > 0 ? ` · ${fmt.rate(l.sentPerSecond.last1m)}/s` : '';
        t.textContent = `${l.agreementId || 'no agreement'}: ${l.sent} sent${rateText}`;
        if (l.refused > 0) {
          const r = svg('tspan', { class: 'refused' });
          r.textContent = ` · ${l.refused} refused`;
          t.append(r);
        }
        return t;
      }),
    );
    edge.title.textContent = links
      .map(
        (l) =>
          `${l.from} → ${l.to} under ${l.agreementId || 'no agreement'}: ${l.sent} sent, ${l.delivered} delivered, ` +
          `${l.refused} refused, ${l.rejected} rejected, ${l.failed} failed`,
      )
      .join('\n');
  }

  // ------------------------------------------------------------------ live events

  function onFlow({ events, dropped }) {
    for (const e of events) {
      pulse(e);
      state.feed.unshift(e);
    }
    state.feed.length = Math.min(state.feed.length, FEED_SIZE);
    renderFeed(dropped);
  }

  /** Where along the edge a stage's dot runs: out from the sender, into the recipient, and back for the receipt. */
  const SEGMENTS = {
    submit: [0, 0.2],
    publish: [0.1, 0.6],
    receive: [0.5, 1],
    settle: [1, 0],
    expire: [0.5, 0.5],
    'dead-letter': [0.8, 1],
  };

  function pulse(e) {
    if (!e.sender || !e.recipient || e.type === RECEIPT_TYPE || state.pulses >= MAX_PULSES) return;
    const edge = state.edges.get(`${e.sender}|${e.recipient}`);
    if (!edge) return;
    const refused = !OK.has(e.outcome) && e.stage !== 'publish';
    const [from, to] = refused && e.stage === 'submit' ? [0, 0.15] : SEGMENTS[e.stage] || [0, 1];
    const dot = svg('circle', {
      r: 5,
      class: `pulse${refused ? ' refused' : e.stage === 'settle' ? ' receipt' : ''}`,
    });
    $('map-pulses').append(dot);
    state.pulses += 1;
    edge.g.classList.add('active');
    edge.active += 1;
    const length = edge.path.getTotalLength();
    const started = performance.now();
    const duration = 900;
    const step = (now) => {
      const t = Math.min(1, (now - started) / duration);
      const p = edge.path.getPointAtLength(length * (from + (to - from) * t));
      dot.setAttribute('cx', p.x.toFixed(1));
      dot.setAttribute('cy', p.y.toFixed(1));
      dot.setAttribute('opacity', (1 - t * t * 0.7).toFixed(2));
      if (t < 1) {
        requestAnimationFrame(step);
        return;
      }
      dot.remove();
      state.pulses -= 1;
      if (--edge.active === 0) edge.g.classList.remove('active');
    };
    requestAnimationFrame(step);
  }

  function renderFeed(dropped) {
    const items = state.feed.map((e) => {
      const refused = !OK.has(e.outcome) && e.stage !== 'publish';
      return el('li', {
        class: refused ? 'refused' : '',
        'data-testid': 'feed-item',
        text:
          `${fmt.time(e.at)}  ${e.node}  ${e.stage}  ${e.outcome}  ${fmt.type(e.type)}  ${fmt.link(e.sender, e.recipient)}` +
          (e.messageId ? `  ${e.messageId}` : ''),
      });
    });
    if (dropped > 0)
      items.unshift(el('li', { class: 'muted', text: `… ${dropped} more events in that second not shown` }));
    $('feed').replaceChildren(...items);
  }

  // ------------------------------------------------------------------ trail

  /** Looks the id up as a message id, then as a conversation id; refreshes while it stays open. */
  async function showTrail(id, refreshing) {
    state.trail = { id, lastMs: Date.now() };
    const note = $('trail-note');
    try {
      let result = await api(`/api/trail?messageId=${encodeURIComponent(id)}`);
      if (result.steps.length === 0)
        result = await api(`/api/trail?conversationId=${encodeURIComponent(id)}`);
      if (state.trail?.id !== id) return;
      renderTrail(result.steps);
      const kind = 'messageId' in result.query ? 'message' : 'conversation';
      note.textContent =
        result.steps.length === 0
          ? `No events held for ${id}: the monitor keeps the last minutes only.`
          : `${result.steps.length} events for ${kind} ${id} across ${new Set(result.steps.map((s) => s.node)).size} node(s)`;
    } catch (error) {
      if (error instanceof AuthError) return signOut(error.message);
      if (!refreshing) note.textContent = error.message;
    }
  }

  function renderTrail(steps) {
    const rows = steps.map((s) =>
      el(
        'tr',
        {
          'data-testid': 'trail-stage',
          'data-stage': s.stage,
          'data-node': s.node,
          'data-outcome': s.outcome,
        },
        [
          td(fmt.time(s.at)),
          td(fmt.delta(s.sincePreviousMs), 'num'),
          td(s.node),
          td(s.stage),
          el('td', {}, [
            el('span', { class: `badge ${OK.has(s.outcome) ? 'ok' : 'refused'}`, text: s.outcome }),
          ]),
          td(fmt.type(s.type)),
          td(fmt.link(s.sender, s.recipient)),
          td(s.messageId, 'code'),
          td(
            fmt.ms(s.durationMs) +
              (s.endToEndMs === undefined ? '' : ` (end to end ${fmt.ms(s.endToEndMs)})`),
            'num',
          ),
          td(fmt.bytes(s.sizeBytes), 'num'),
        ],
      ),
    );
    fillBody($('trail-body'), rows, 'No events.', 10);
  }

  // ------------------------------------------------------------------ start

  $('auth-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    $('token').value = '';
    if (token) void signIn(token);
  });
  $('sign-out').addEventListener('click', () => signOut(''));
  $('trail-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = $('trail-id').value.trim();
    if (id) void showTrail(id, false);
  });

  tokenFromFragment();
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) void signIn(saved);
})();
