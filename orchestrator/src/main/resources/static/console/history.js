// What a migration's history (GET /api/migrations/{id}/history) says, for the timeline: when each state began, each
// pre-copy round's figures and when the guest was paused and resumed. Pure functions of the events.

/** Every state in lifecycle order (schemas' MigrationStatus), so a state is only ever left for a later one. */
export const STATES = ['QUEUED', 'SETUP', 'PRECOPY', 'FINAL_COPY', 'STORAGE', 'RESUMING', 'NETWORK_CLEANUP',
  'CANCELLING', 'ROLLING_BACK', 'COMPLETED', 'CANCELLED', 'ROLLED_BACK', 'FAILED'];

export const LABELS = {
  QUEUED: 'queued', SETUP: '1 setup', PRECOPY: '2 pre-copy', FINAL_COPY: '3 final copy', STORAGE: '4 storage',
  RESUMING: '5 resume', NETWORK_CLEANUP: '6 network', CANCELLING: 'cancelling', ROLLING_BACK: 'rolling back',
};

// The event that enters each state, as core.Migration.evolve folds them. The source's FinalCopyCompleted may be
// recorded after the destination's StorageAcquired (the two hosts answer at once): a state is never left for an
// earlier one, so such a late event changes nothing.
const ENTERS = {
  MigrationRequested: 'QUEUED', MigrationAdmitted: 'SETUP', SourceConnected: 'PRECOPY', PrecopyConverged: 'FINAL_COPY',
  FinalCopyCompleted: 'STORAGE', StorageAcquired: 'RESUMING', VmResumed: 'NETWORK_CLEANUP',
  CancelRequested: 'CANCELLING', MigrationFailed: 'ROLLING_BACK', MigrationCompleted: 'COMPLETED',
  MigrationCancelled: 'CANCELLED', MigrationRolledBack: 'ROLLED_BACK', RollbackIncomplete: 'FAILED',
};

const time = (entry) => Date.parse(entry.recordedAt);

/** Avro's JSON wraps a union's value in its type's name: {"long": 5}. Unwraps it (null stays null). */
export function unwrap(value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && /^(long|int|double|string|boolean|io\.ferry\.[\w.]+)$/.test(keys[0])) return value[keys[0]];
  }
  return value;
}

/**
 * The states the migration went through: [{state, from, to}] in ms since the epoch; the last one open (to = null)
 * while the migration runs, or the terminal state as an instant (from = to).
 */
export function stagesOf(history) {
  const stages = [];
  let rank = -1;
  for (const entry of history) {
    const state = ENTERS[entry.type];
    if (!state || STATES.indexOf(state) <= rank) continue;
    rank = STATES.indexOf(state);
    const at = time(entry);
    if (stages.length) stages[stages.length - 1].to = at;
    stages.push({ state, from: at, to: null });
  }
  const last = stages[stages.length - 1];
  if (last && ['COMPLETED', 'CANCELLED', 'ROLLED_BACK', 'FAILED'].includes(last.state)) last.to = last.from;
  return stages;
}

/** Each pre-copy round's figures (PrecopyRoundCompleted's CopyProgress), in order. */
export function roundsOf(history) {
  return history.filter((e) => e.type === 'PrecopyRoundCompleted').map((e) => {
    const p = e.payload.progress;
    return {
      round: p.round, bytesSent: p.bytesSent, pagesSent: p.pagesSent, dirtyPagesRemaining: p.dirtyPagesRemaining,
      throughputMbps: p.throughputMbps, roundMs: p.roundMs, throttlePercent: p.throttlePercent ?? 0,
      at: time(e),
    };
  });
}

/** When the guest was paused on the source and resumed on the destination (ms since the epoch), or null. */
export function blackoutOf(history) {
  const resumed = history.find((e) => e.type === 'VmResumed');
  if (!resumed) return null;
  const resumedAt = unwrap(resumed.payload.resumedAt);
  const downtimeMs = unwrap(resumed.payload.downtimeMs);
  const final = history.find((e) => e.type === 'FinalCopyCompleted');
  const pausedAt = final ? unwrap(final.payload.pausedAt) : resumedAt - downtimeMs;
  return { pausedAt, resumedAt, downtimeMs };
}

/** One line saying what an event was about, for the audit trail. */
export function summaryOf(entry) {
  const p = entry.payload ?? {};
  switch (entry.type) {
    case 'MigrationRequested': return `${p.vmId}: ${p.sourceHost} → ${p.destinationHost}, by ${p.requestedBy} (${p.channel})`;
    case 'StageCommandIssued': return `${p.action} → ${p.targetHost}`;
    case 'SkeletonCreated': return `skeleton ready on ${p.host}`;
    case 'SourceConnected': return `${p.host} connected to the destination`;
    case 'PrecopyRoundCompleted': {
      const r = p.progress;
      return `round ${r.round}: ${r.pagesSent} pages sent, ${r.dirtyPagesRemaining} dirty left, ${Math.round(r.throughputMbps)} Mbit/s`;
    }
    case 'PrecopyConverged': return `after ${p.rounds} rounds, ${p.dirtyPagesRemaining} pages left, expected downtime ${p.expectedDowntimeMs} ms`;
    case 'FinalCopyCompleted': return `${p.pagesSent} last pages sent while paused`;
    case 'StorageReleased': case 'StorageAcquired': return `${p.host}, lease epoch ${p.epoch}`;
    case 'VmResumed': return `running on ${p.host} after ${p.downtimeMs} ms of blackout`;
    case 'MigrationCompleted': return `in ${p.totalMs} ms, ${p.rounds} rounds, downtime ${p.downtimeMs} ms`;
    case 'MigrationFailed': return `${p.stage}: ${p.reason}: ${p.detail}`;
    case 'CancelRequested': return `by ${p.requestedBy} in ${p.stage}`;
    case 'MigrationCancelled': return `by ${p.requestedBy} in ${p.cancelledIn}`;
    default: {
      const text = JSON.stringify(p);
      return text === '{}' ? '' : text.length > 140 ? `${text.slice(0, 140)}…` : text;
    }
  }
}
