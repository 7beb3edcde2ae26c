// A device's telemetry gap of silence ("no syslog received from it", "no syslog for N hours") ends
// the moment its records are stored again, or its native accounting arrives: the full run that
// resolves the finding is asked for within reconcile.pullCheckSeconds, as a pull or a roster edit
// asks for one, not at the next scheduled run (up to 15 minutes on, while the overview counted the
// device as a telemetry gap beside its own records). Both engines read the same statement.

import { HOUR_MS } from './text.js';

/**
 * Open `telemetry-gap` findings of devices heard since `?` (a syslog record from any collector, or
 * accepted native accounting; the same `since` twice), with their evidence. Through the open
 * findings' index by kind (findings_one_open): one finding a device at most.
 */
export const HEARD_GAPS_SQL = `SELECT f.id, f.evidence FROM findings f
  WHERE f.kind = 'telemetry-gap' AND f.status <> 'resolved'
    AND (EXISTS (SELECT 1 FROM device_activity a WHERE a.device = f.device AND a.last_seen >= ?)
      OR EXISTS (SELECT 1 FROM native_senders s WHERE s.device = f.device AND s.last_accepted >= ?))`;

export interface GapRow {
  id: number;
  evidence: string;
}

/** The time from which a device counts as heard (evaluate.ts heard: within silentHours of now). */
export const heardSince = (now: number, silentHours: number): number => now - silentHours * HOUR_MS;

/**
 * The findings among `rows` (devices heard since) that were raised or last refreshed for silence
 * (evidence `silent`), which a run now resolves or narrows to the configuration checks; a gap of
 * failing checks alone is not over because its device talks.
 */
export function silenceHeard(rows: readonly GapRow[]): number[] {
  return rows.filter((r) => (JSON.parse(r.evidence) as { silent?: boolean }).silent === true).map((r) => Number(r.id));
}

/**
 * Whether a look should ask for a run: a finding among `ids` that no earlier look asked one for
 * (`asked`), so a run that cannot resolve it (it fails) is not asked for again every look; the
 * schedule takes it then.
 */
export const newlyHeard = (ids: readonly number[], asked: ReadonlySet<number>): boolean => ids.some((id) => !asked.has(id));
