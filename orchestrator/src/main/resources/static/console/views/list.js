// The migrations, newest first, with the REST list's filters (kept in the address, so a filtered list can be shared).
// States stay live: each migration in flight on the page follows its progress stream, and the list itself is asked
// again every few seconds for migrations submitted meanwhile.

import { api, isOperator, session } from '../api.js';
import { follow } from '../sse.js';
import { h, fill, fmt, badge, TERMINAL } from '../dom.js';
import { STATES } from '../history.js';
import { submitForm } from './submit.js';

const PAGE = 20;
const STREAMS = 4; // a browser keeps about six connections per server: leave room for the list's own calls
const REFRESH_MS = 4000;

function filterForm(filter, go) {
  const input = (name, placeholder) => h('input', { name, placeholder, value: filter.get(name) ?? '', 'data-test': `filter-${name}` });
  const select = (name, options, any) => h('select', { name, 'data-test': `filter-${name}` },
    h('option', { value: '', text: any }),
    options.map((o) => h('option', { value: o, text: o, selected: filter.get(name) === o })));
  const form = h('form', { class: 'filters', 'data-test': 'filters' },
    h('label', {}, 'VM ', input('vmId', 'any VM')), h('label', {}, 'host ', input('host', 'source or destination')),
    h('label', {}, 'state ', select('state', STATES, 'any state')),
    h('label', {}, 'outcome ', select('outcome', TERMINAL, 'any outcome')),
    h('label', {}, 'request ', input('requestId', 'request id')),
    h('button', { type: 'submit', text: 'Filter' }),
    h('button', { type: 'button', class: 'plain', text: 'Clear', onclick: () => go(new URLSearchParams()) }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim()) next.set(name, String(value).trim());
    go(next);
  });
  return form;
}

function row(m) {
  const state = h('td', {}, badge(m.state));
  const copied = h('td', { class: 'num', 'data-test': 'copied', text: m.state === 'COMPLETED' ? '100 %' : '' });
  const tr = h('tr', { 'data-test': 'migration-row', 'data-id': m.migrationId },
    h('td', { text: fmt.time(m.createdAt) }),
    h('td', {}, h('a', { href: `#/migrations/${m.migrationId}`, 'data-test': 'open', text: m.vmId })),
    h('td', { text: `${m.sourceHost} → ${m.destinationHost ?? '?'}` }), state, copied,
    h('td', { class: 'num', text: fmt.ms(m.totalMs) }), h('td', { class: 'num', text: fmt.ms(m.downtimeMs) }),
    h('td', { text: m.requestedBy }));
  return { tr, state, copied };
}

/** The list in `root`, with the filters of `query`; returns what stops its streams and refreshes. */
export function mount(root, { query }) {
  const controller = new AbortController();
  const followed = new Map(); // migration id → its row's live cells and its last update
  const filter = new URLSearchParams(query);
  const page = Number(filter.get('page') ?? 0);
  const go = (next) => { location.hash = `#/migrations${next.toString() ? `?${next}` : ''}`; };
  const table = h('div', { 'data-test': 'list' }, h('p', { class: 'muted', text: 'loading…' }));
  let timer = null;

  // the stream writes into whichever row is drawn for its migration now, and a redrawn row gets its last update at once
  const show = (live) => {
    if (!live.last) return;
    fill(live.cells.state, badge(live.last.state));
    live.cells.copied.textContent = `${live.last.percentCopied} %`;
  };

  const watch = (m, cells) => {
    const live = { cells, last: null };
    followed.set(m.migrationId, live);
    follow(`/api/migrations/${m.migrationId}/progress`, (name, data) => {
      live.last = JSON.parse(data);
      show(live);
    }, controller.signal).catch(() => {}).finally(() => {
      followed.delete(m.migrationId);
      if (!controller.signal.aborted) load();
    });
  };

  const load = async () => {
    const params = new URLSearchParams(filter);
    params.set('page', page);
    params.set('size', PAGE);
    try {
      const answer = await api(`/api/migrations?${params}`, { signal: controller.signal });
      const rows = answer.items.map((m) => ({ m, ...row(m) }));
      const pages = Math.max(1, Math.ceil(answer.total / answer.size));
      fill(table,
        h('p', { class: 'muted', 'data-test': 'total', text: `${answer.total} migration${answer.total === 1 ? '' : 's'}` }),
        h('table', { class: 'list' },
          h('thead', {}, h('tr', {}, ['requested', 'VM', 'route', 'state', 'copied', 'total', 'downtime', 'by']
            .map((t) => h('th', { text: t })))),
          h('tbody', {}, rows.map((r) => r.tr))),
        h('p', { class: 'pager' },
          h('button', { class: 'plain', text: '← newer', disabled: page === 0,
            onclick: () => { filter.set('page', page - 1); go(filter); } }),
          ` page ${page + 1} of ${pages} `,
          h('button', { class: 'plain', text: 'older →', disabled: page + 1 >= pages,
            onclick: () => { filter.set('page', page + 1); go(filter); } })));
      for (const r of rows) {
        if (TERMINAL.includes(r.m.state)) continue;
        const live = followed.get(r.m.migrationId);
        if (live) {
          live.cells = { state: r.state, copied: r.copied };
          show(live);
        } else if (followed.size < STREAMS) {
          watch(r.m, { state: r.state, copied: r.copied });
        }
      }
    } catch (e) {
      if (!controller.signal.aborted) fill(table, h('p', { class: 'error', 'data-test': 'error', text: e.message }));
    }
  };

  fill(root, h('h2', { text: 'Migrations' }), submitForm(isOperator(), session()), filterForm(filter, go), table);
  load();
  timer = setInterval(load, REFRESH_MS);
  return () => { controller.abort(); clearInterval(timer); };
}
