// The hosts, the VMs each runs and each host's drain: mode, VMs done of total, bytes, ETA and every move. Drains have
// no stream of their own, so the view asks again every two seconds while it is shown.

import { api, ApiError } from '../api.js';
import { h, fill, fmt, badge } from '../dom.js';

const REFRESH_MS = 2000;

function drainPart(host, drain) {
  if (!drain) return h('p', { class: 'muted', 'data-test': 'drain', text: 'never drained' });
  const c = drain.vms;
  return h('div', { class: 'drain', 'data-test': 'drain', 'data-status': drain.status },
    h('p', {}, h('strong', { text: `drain ${drain.status.toLowerCase()}` }),
      ` · ${c.done} of ${c.total} VMs done (${c.moved} moved, ${c.failed} failed, ${c.left} left, ${c.running} running, `
      + `${c.waiting} waiting) · ${fmt.bytes(drain.bytesSent)} sent · `
      + (drain.endedAt ? `took ${fmt.ms(drain.elapsedMs)}` : `≈ ${fmt.ms(drain.etaMs)} left`)
      + ` · by ${drain.requestedBy}${drain.cancelling ? ' · stopping' : ''}`),
    drain.summary ? h('p', { class: 'muted', text: drain.summary }) : null,
    drain.moves.length ? h('table', { class: 'compact' },
      h('thead', {}, h('tr', {}, ['#', 'VM', 'to', 'move', 'migration', 'tries', 'why'].map((t) => h('th', { text: t })))),
      h('tbody', {}, drain.moves.map((m) => h('tr', { 'data-test': 'drain-move' },
        h('td', { class: 'num', text: m.order }), h('td', { text: `${m.vmId} (${m.memoryMb} MB)` }),
        h('td', { text: m.destination ?? '–' }), h('td', { text: m.status }),
        h('td', {}, m.migrationId ? h('a', { href: `#/migrations/${m.migrationId}`, text: m.migrationState ?? 'open' }) : '–'),
        h('td', { class: 'num', text: m.attempts }), h('td', { class: 'detail', text: m.reason ?? m.why ?? '' }))))) : null);
}

function hostCard(host, vms, drain) {
  return h('section', { class: 'card host', 'data-test': 'host', 'data-host': host.host },
    h('h3', {}, `${host.host} `, h('span', { class: `badge mode-${host.mode.toLowerCase()}`, 'data-test': 'mode', text: host.mode }),
      ' ', h('span', { class: `badge status-${String(host.status).toLowerCase()}`, text: host.status })),
    h('p', { class: 'meta', text: `${host.driver} · ${fmt.count(host.freeMemoryMb)} of ${fmt.count(host.totalMemoryMb)} MB free · `
      + `last heard ${fmt.time(host.lastHeardAt)}` }),
    vms.length ? h('table', { class: 'compact' },
      h('thead', {}, h('tr', {}, h('th', { text: 'VM' }), h('th', { class: 'num', text: 'memory' }),
        h('th', { class: 'num', text: 'vCPUs' }), h('th', { text: 'state' }))),
      h('tbody', {}, vms.map((v) => h('tr', { 'data-test': 'host-vm' }, h('td', { text: v.vmId }),
        h('td', { class: 'num', text: `${v.memoryMb} MB` }), h('td', { class: 'num', text: v.vcpus }), h('td', {}, badge(v.state))))))
      : h('p', { class: 'muted', text: 'no VMs' }),
    drainPart(host.host, drain));
}

async function drainOf(host, signal) {
  try {
    return await api(`/api/hosts/${encodeURIComponent(host)}/drain`, { signal });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null; // this host was never drained
    throw e;
  }
}

export function mount(root) {
  const controller = new AbortController();
  const list = h('div', { class: 'hosts', 'data-test': 'hosts' }, h('p', { class: 'muted', text: 'loading…' }));
  const load = async () => {
    try {
      const [hosts, vms] = await Promise.all([api('/api/hosts', { signal: controller.signal }),
        api('/api/vms', { signal: controller.signal })]);
      const drains = await Promise.all(hosts.map((host) => drainOf(host.host, controller.signal)));
      fill(list, hosts.length ? hosts.map((host, i) => hostCard(host, vms.filter((v) => v.host === host.host), drains[i]))
        : h('p', { class: 'muted', text: 'no host has reported yet' }));
    } catch (e) {
      if (!controller.signal.aborted) fill(list, h('p', { class: 'error', 'data-test': 'error', text: e.message }));
    }
  };
  fill(root, h('h2', { text: 'Hosts' }), list);
  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => { controller.abort(); clearInterval(timer); };
}
