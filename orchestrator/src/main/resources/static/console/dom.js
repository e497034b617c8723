// Building the page: elements are made here and filled with textContent only, never parsed from strings, so nothing
// the API returns (a VM name, a failure detail) can run as markup.

const SVG = 'http://www.w3.org/2000/svg';

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') element.textContent = String(value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element: h('td', {class: 'num', text: '42'}) or h('tr', {}, cell, cell). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, for the charts. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

/** Replaces what `parent` holds. */
export function fill(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return parent;
}

export const fmt = {
  ms(ms) {
    if (ms === undefined || ms === null) return '–';
    if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
    // Rounded half-up on whole hundredths (tenths past 10 s) first: toFixed alone rounds the binary double, so
    // 2,425 ms would read "2.42 s" here and "2.43 s" in the CLI and the audit export.
    if (Math.abs(ms) < 10_000) return `${(Math.round(ms / 10) / 100).toFixed(2)} s`;
    if (Math.abs(ms) < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
    return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  },
  us(us) {
    return us === undefined || us === null ? '–' : us < 1000 ? `${us} µs` : `${(us / 1000).toFixed(1)} ms`;
  },
  bytes(b) {
    if (b === undefined || b === null) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (Math.abs(b) >= 1024 && i < units.length - 1) { b /= 1024; i++; }
    return `${i === 0 ? b : b.toFixed(1)} ${units[i]}`;
  },
  count(n) {
    return n === undefined || n === null ? '–' : Number(n).toLocaleString('en');
  },
  mbps(m) {
    return m === undefined || m === null ? '–' : `${Math.round(m)} Mbit/s`;
  },
  time(instant) {
    if (!instant) return '–';
    const d = new Date(instant);
    return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}Z`;
  },
  clock(instant) {
    return instant ? new Date(instant).toISOString().slice(11, 23) : '–';
  },
};

/** The states a migration ends in (schemas' MigrationStatus.TERMINAL). */
export const TERMINAL = ['COMPLETED', 'CANCELLED', 'ROLLED_BACK', 'FAILED'];

/** A state as a coloured badge. */
export function badge(state) {
  return h('span', { class: `badge state-${String(state).toLowerCase()}`, 'data-test': 'state', text: state });
}
