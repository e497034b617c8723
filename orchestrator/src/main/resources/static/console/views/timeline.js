// One migration's timeline: its stages on a time axis, each pre-copy round, the blackout and where it went, the
// estimate against what happened, and the audit trail. Kept live by the progress stream: each update that moved the
// migration redraws from its history; no reload.

import { api } from '../api.js';
import { follow } from '../sse.js';
import { h, fill, fmt, badge, TERMINAL } from '../dom.js';
import { stagesOf, roundsOf, blackoutOf, summaryOf } from '../history.js';
import { stageAxis, roundCharts, stackedBar } from '../charts.js';

const ROUND_FIGURES = [
  { title: 'bytes sent', class: 'bytes', value: (r) => r.bytesSent, format: fmt.bytes },
  { title: 'dirty pages left', class: 'dirty', value: (r) => r.dirtyPagesRemaining, format: fmt.count },
  { title: 'throughput', class: 'throughput', value: (r) => r.throughputMbps, format: fmt.mbps },
];

const PHASES = [
  ['lastPageUs', 'lastPage', 'last pages sent'], ['deviceStateUs', 'deviceState', 'device state'],
  ['digestCheckUs', 'digestCheck', 'memory checked'], ['storageHandoffUs', 'storageHandoff', 'disk lease handed over'],
  ['resumeUs', 'resume', 'guest resumed'], ['authorisationWaitUs', 'authorisationWait', 'waited for authorisation'],
  ['otherUs', 'other', 'other (waits, scheduling)'],
];

function card(title, test, ...body) {
  return h('section', { class: 'card', 'data-test': test }, h('h3', { text: title }), ...body);
}

function header(m) {
  const where = m.destinationHost ? `${m.sourceHost} → ${m.destinationHost}` : `${m.sourceHost} → (placing)`;
  return h('div', { class: 'timeline-head' },
    h('h2', {}, h('span', { 'data-test': 'vm', text: m.vmId }), ' ', h('span', { class: 'route', text: where }), ' ',
      badge(m.state)),
    h('p', { class: 'meta' }, `migration ${m.migrationId} · request ${m.requestId} · by ${m.requestedBy} (${m.channel}) · `
      + `requested ${fmt.time(m.createdAt)}`),
    m.failureReason ? h('p', { class: 'error', 'data-test': 'failure', text: `${m.failureReason}: ${m.failureDetail ?? ''}` })
      : null,
    m.placement ? h('p', { class: 'meta', text: `placed on ${m.placement.chosen}: ${m.placement.why ?? ''}` }) : null);
}

function progressLine(p) {
  const parts = [p.stage];
  if (p.round) parts.push(`round ${p.round}`);
  parts.push(`${p.percentCopied} % copied`);
  if (p.throughputMbps !== null && p.throughputMbps !== undefined) parts.push(fmt.mbps(p.throughputMbps));
  if (p.dirtyPagesRemaining !== null && p.dirtyPagesRemaining !== undefined) parts.push(`${fmt.count(p.dirtyPagesRemaining)} dirty pages`);
  if (p.etaSeconds !== null && p.etaSeconds !== undefined && !TERMINAL.includes(p.state)) parts.push(`≈ ${p.etaSeconds} s left`);
  const bar = h('div', { class: 'progress-bar' }, h('div', { class: 'progress-fill' }));
  bar.firstChild.style.width = `${Math.min(100, p.percentCopied)}%`;
  return [bar, h('p', { class: 'progress-text', 'data-test': 'progress', 'data-state': p.state, text: parts.join(' · ') })];
}

function summaryLine(m) {
  const parts = [`${m.state.toLowerCase().replace('_', ' ')}`];
  if (m.totalMs !== null) parts.push(`in ${fmt.ms(m.totalMs)}`);
  if (m.rounds !== null) parts.push(`${m.rounds} round${m.rounds === 1 ? '' : 's'}`);
  if (m.downtimeMs !== null) parts.push(`downtime ${fmt.ms(m.downtimeMs)}`);
  if (m.bytesSent !== null) parts.push(`${fmt.bytes(m.bytesSent)} sent`);
  return h('p', { class: 'summary', 'data-test': 'summary', text: parts.join(' · ') });
}

function blackoutCard(m, history) {
  const blackout = blackoutOf(history);
  if (!blackout && m.downtimeMs === null) {
    return card('Blackout', 'blackout', h('p', { class: 'muted', text: 'the guest has not been paused yet' }));
  }
  const downtime = m.downtimeMs ?? blackout.downtimeMs;
  const b = m.downtimeBreakdown;
  if (!b) {
    return card('Blackout', 'blackout', h('p', { class: 'big', text: fmt.ms(downtime) }),
      h('p', { class: 'muted', text: 'the agents did not say where it went' }));
  }
  const parts = PHASES.map(([field, key, label]) => ({ key, label, us: b[field] ?? 0 })).filter((p) => p.us > 0);
  return card('Blackout', 'blackout',
    h('p', { class: 'big', 'data-test': 'downtime', text: fmt.ms(downtime) }),
    h('p', { class: 'muted', text: `guest paused on the source to running on the destination; the agents measured `
      + `${fmt.us(b.totalUs)}, split as follows` }),
    stackedBar(parts, b.totalUs),
    h('ul', { class: 'legend' }, parts.map((p) => h('li', {}, h('span', { class: `swatch seg-${p.key}` }),
      `${p.label} ${fmt.us(p.us)}`))));
}

function estimateCard(m) {
  const e = m.estimate;
  if (!e) {
    return card('Estimate and actual', 'estimate', h('p', { class: 'muted', 'data-test': 'no-estimate', text: 'no estimate recorded' }));
  }
  // the actual figures come beside the estimate once the migration ended; while it runs, the read model's so far
  const ended = TERMINAL.includes(m.state);
  const actualTotal = e.actualTotalMs ?? (ended ? m.totalMs : null);
  const actualDowntime = e.actualDowntimeMs ?? (ended ? m.downtimeMs : null);
  const actualRounds = e.actualRounds ?? (ended ? m.rounds : null);
  const converged = e.actualConverged ?? (ended && m.state === 'COMPLETED' ? true : null);
  const off = (estimate, actual) => (estimate && actual !== null && actual !== undefined
    ? `${actual >= estimate ? '+' : ''}${Math.round(((actual - estimate) / estimate) * 100)} %` : '');
  const yesNo = (b) => (b === null || b === undefined ? '–' : b ? 'yes' : 'no');
  const row = (what, test, estimate, actual, difference = '') => h('tr', { 'data-test': `estimate-${test}` },
    h('th', { text: what }), h('td', { class: 'num', text: estimate }), h('td', { class: 'num', 'data-test': 'actual', text: actual }),
    h('td', { class: 'num muted', text: difference }));
  const remedies = e.remedies && Object.entries(e.remedies).filter(([, v]) => v !== null && v !== undefined);
  return card('Estimate and actual', 'estimate',
    h('table', { class: 'compact', 'data-test': 'estimate-table' },
      h('thead', {}, h('tr', {}, h('th', {}), h('th', { class: 'num', text: 'estimate' }), h('th', { class: 'num', text: 'actual' }),
        h('th', { class: 'num', text: 'off by' }))),
      h('tbody', {},
        row('total time', 'total', fmt.ms(e.totalMs), fmt.ms(actualTotal), off(e.totalMs, actualTotal)),
        row('downtime', 'downtime', fmt.ms(e.downtimeMs), fmt.ms(actualDowntime), off(e.downtimeMs, actualDowntime)),
        row('rounds', 'rounds', e.rounds ?? '–', actualRounds ?? '–'),
        row('converges', 'converges', yesNo(e.converges), yesNo(converged),
          e.verdictRight === true ? 'right' : e.verdictRight === false ? 'wrong' : ''))),
    e.why ? h('p', { class: 'muted', text: e.why }) : null,
    remedies && remedies.length ? h('p', { class: 'muted', text: `would converge with: ${remedies.map(([k, v]) => `${k} ${v}`).join(', ')}` })
      : null);
}

function auditCard(history) {
  const start = history.length ? Date.parse(history[0].recordedAt) : 0;
  return card('Audit trail', 'audit', h('table', { class: 'compact audit' },
    h('thead', {}, h('tr', {}, ['#', 'time', 'after', 'event', 'who', 'what'].map((t) => h('th', { text: t })))),
    h('tbody', {}, history.map((e) => h('tr', { 'data-test': 'audit-row' },
      h('td', { class: 'num', text: e.version }), h('td', { text: fmt.clock(e.recordedAt) }),
      h('td', { class: 'num', text: `+${fmt.ms(Date.parse(e.recordedAt) - start)}` }),
      h('td', { text: e.type }), h('td', { text: e.actor }), h('td', { class: 'detail', text: summaryOf(e) }))))));
}

function render(root, m, history, progress) {
  const rounds = roundsOf(history);
  const stages = stagesOf(history);
  const terminal = TERMINAL.includes(m.state);
  const now = terminal ? Date.parse(m.updatedAt) : Date.now();
  fill(root,
    header(m),
    h('div', { class: 'progress', 'data-test': 'progress-area' },
      terminal ? summaryLine(m) : progress ? progressLine(progress) : null),
    card('Stages', 'stages', stages.length ? stageAxis(stages, blackoutOf(history), now) : h('p', { class: 'muted', text: 'nothing recorded yet' })),
    card(`Pre-copy rounds (${rounds.length})`, 'rounds', rounds.length
      ? roundCharts(rounds, ROUND_FIGURES)
      : h('p', { class: 'muted', text: 'no round finished yet' })),
    h('div', { class: 'two' }, blackoutCard(m, history), estimateCard(m)),
    auditCard(history));
}

/** Shows migration `id` in `root` and follows it until it ends or the view is left (the returned function). */
export function mount(root, { id }) {
  const controller = new AbortController();
  let migration = null;
  let history = [];
  let progress = null;
  let loading = null;
  let again = false;

  const load = async () => {
    // one load at a time; an update meanwhile asks for one more after it
    if (loading) { again = true; return loading; }
    loading = (async () => {
      do {
        again = false;
        [migration, history] = await Promise.all([
          api(`/api/migrations/${encodeURIComponent(id)}`, { signal: controller.signal }),
          api(`/api/migrations/${encodeURIComponent(id)}/history`, { signal: controller.signal })]);
        render(root, migration, history, progress);
      } while (again && !controller.signal.aborted);
    })().finally(() => { loading = null; });
    return loading;
  };

  const live = async () => {
    let version = migration?.version;
    while (!controller.signal.aborted && !TERMINAL.includes(migration?.state)) {
      try {
        await follow(`/api/migrations/${encodeURIComponent(id)}/progress`, (name, data) => {
          if (name !== 'progress') return;
          progress = JSON.parse(data);
          if (progress.version !== version) {
            version = progress.version;
            load().catch(() => {}); // new events: redraw the whole timeline
          } else if (!TERMINAL.includes(migration?.state)) {
            const area = root.querySelector('[data-test=progress-area]'); // nothing new but the live line
            if (area) fill(area, progressLine(progress));
          }
        }, controller.signal);
        await load(); // the stream ended: the migration did, and its last events are in
      } catch (e) {
        if (controller.signal.aborted) return;
        // the stream broke (a restart, the network): pick it up again shortly
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  };

  fill(root, h('p', { class: 'muted', text: 'loading…' }));
  load().then(live).catch((e) => {
    if (!controller.signal.aborted) fill(root, h('p', { class: 'error', 'data-test': 'error', text: e.message }));
  });
  return () => controller.abort();
}
