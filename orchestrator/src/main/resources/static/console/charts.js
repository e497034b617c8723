// The timeline's charts, drawn as inline SVG (no chart library to vendor): a time axis of stages, small bar charts
// per pre-copy round and a stacked bar of the blackout. Colours come from console.css by class.

import { s, fmt } from './dom.js';
import { LABELS } from './history.js';

const WIDTH = 960;

function niceStep(span, ticks) {
  const raw = span / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

/** Stages on a time axis from the request, one row each, with the blackout as a band across them. */
export function stageAxis(stages, blackout, now) {
  const start = stages[0]?.from ?? now;
  const end = Math.max(now, ...stages.map((st) => st.to ?? now));
  const span = Math.max(end - start, 1);
  const left = 120;
  const right = WIDTH - 70; // room for the last stage's duration
  const x = (t) => left + ((t - start) / span) * (right - left);
  const rowHeight = 22;
  const top = 22; // the blackout's label above the rows
  const axisY = top + stages.length * rowHeight + 6;
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${axisY + 30}`, class: 'chart stage-axis', role: 'img',
    'aria-label': 'stages on a time axis' });

  const step = niceStep(span, 8);
  for (let t = 0; t <= span; t += step) {
    svg.append(s('line', { x1: x(start + t), x2: x(start + t), y1: top, y2: axisY, class: 'grid' }),
      s('text', { x: x(start + t), y: axisY + 16, class: 'tick', 'text-anchor': 'middle', text: fmt.ms(t) }));
  }
  svg.append(s('line', { x1: left, x2: right, y1: axisY, y2: axisY, class: 'axis' }));

  stages.forEach((st, i) => {
    const y = top + i * rowHeight;
    const terminal = !LABELS[st.state];
    const to = st.to ?? now;
    svg.append(s('text', { x: left - 8, y: y + 15, class: 'row-label', 'text-anchor': 'end',
      text: LABELS[st.state] ?? st.state.toLowerCase().replace('_', ' ') }));
    if (terminal) {
      svg.append(s('circle', { cx: x(st.from), cy: y + 11, r: 6, class: `end state-${st.state.toLowerCase()}`,
        'data-test': 'stage-end', 'data-state': st.state }, s('title', { text: `${st.state} at +${fmt.ms(st.from - start)}` })),
      s('text', { x: x(st.from) + 10, y: y + 15, class: 'bar-value', text: `+${fmt.ms(st.from - start)}` }));
      return;
    }
    const width = Math.max(x(to) - x(st.from), 3); // a stage of a few ms still shows
    svg.append(s('rect', { x: x(st.from), y: y + 3, width, height: rowHeight - 6, rx: 3,
      class: `stage stage-${st.state.toLowerCase()}${st.to === null ? ' running' : ''}`,
      'data-test': 'stage-bar', 'data-state': st.state },
    s('title', { text: `${LABELS[st.state]}: ${fmt.ms(to - st.from)} (from +${fmt.ms(st.from - start)})` })));
    // the duration inside a long bar, after a short one
    const inside = width > 110;
    svg.append(s('text', { x: inside ? x(st.from) + width - 6 : x(st.from) + width + 6, y: y + 15,
      class: inside ? 'bar-value inside' : 'bar-value', 'text-anchor': inside ? 'end' : 'start',
      text: `${fmt.ms(to - st.from)}${st.to === null ? ' so far' : ''}` }));
  });

  if (blackout) {
    const from = x(blackout.pausedAt);
    const width = Math.max(x(blackout.resumedAt) - from, 3);
    svg.append(s('rect', { x: from, y: top, width, height: axisY - top, class: 'blackout', 'data-test': 'blackout-band' },
      s('title', { text: `blackout: ${blackout.downtimeMs} ms, guest paused to running` })));
    svg.append(s('text', { x: from + width / 2, y: top - 7, class: 'blackout-label', 'text-anchor': from > WIDTH / 2 ? 'end' : 'start',
      text: `blackout ${fmt.ms(blackout.downtimeMs)}` }));
  }
  return svg;
}

/** Small bar charts side by side, one per figure, each bar a round: [{title, value(round), format}]. */
export function roundCharts(rounds, figures) {
  const panel = (WIDTH - 40) / figures.length;
  const height = 170;
  const base = height - 26;
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart rounds', role: 'img',
    'aria-label': 'pre-copy rounds' });
  figures.forEach((figure, f) => {
    const x0 = 20 + f * panel;
    const inner = panel - 30;
    const max = Math.max(...rounds.map(figure.value), 1e-9);
    const slot = inner / Math.max(rounds.length, 1);
    svg.append(s('text', { x: x0, y: 14, class: 'panel-title', text: figure.title }),
      s('text', { x: x0 + inner, y: 14, class: 'tick', 'text-anchor': 'end', text: `max ${figure.format(max)}` }),
      s('line', { x1: x0, x2: x0 + inner, y1: base, y2: base, class: 'axis' }));
    rounds.forEach((round, i) => {
      const value = figure.value(round);
      const barHeight = Math.max((value / max) * (base - 28), value > 0 ? 1 : 0);
      const bx = x0 + i * slot + slot * 0.15;
      svg.append(s('rect', { x: bx, y: base - barHeight, width: slot * 0.7, height: barHeight,
        class: `bar ${figure.class}`, 'data-test': `round-bar-${figure.class}` },
      s('title', { text: `round ${round.round}: ${figure.format(value)}` })));
      if (rounds.length <= 20 || i % Math.ceil(rounds.length / 20) === 0) {
        svg.append(s('text', { x: bx + slot * 0.35, y: base + 14, class: 'tick', 'text-anchor': 'middle', text: round.round }));
      }
    });
  });
  return svg;
}

/** The blackout split into its phases, as one stacked bar: [{key, label, us}]. */
export function stackedBar(parts, totalUs) {
  const height = 34;
  const total = Math.max(totalUs, parts.reduce((sum, p) => sum + Math.max(p.us, 0), 0), 1);
  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart breakdown', role: 'img',
    'aria-label': 'where the blackout went' });
  let x = 0;
  for (const part of parts) {
    if (part.us <= 0) continue;
    const width = (part.us / total) * WIDTH;
    svg.append(s('rect', { x, y: 4, width, height: height - 8, class: `seg seg-${part.key}`, 'data-test': 'breakdown-part' },
      s('title', { text: `${part.label}: ${fmt.us(part.us)}` })));
    x += width;
  }
  return svg;
}
