// The roster as the pages read it: loaded on first use and again only when a roster file changed
// (its modification time), so a page does not re-read and re-index a large roster per request.
// A roster that cannot be read is a problem to show, not an exception.

import type { Config } from '../config/schema.js';
import { RosterIndex } from '../reconcile/evaluate.js';
import type { Roster } from '../reconcile/roster.js';
import { rosterStamp } from '../reconcile/setup.js';
import { configuredRoster } from '../report/document.js';

export interface RosterState {
  roster?: Roster;
  index?: RosterIndex;
  problem?: string;
}

export function rosterSource(config: Config): () => RosterState {
  let stamp: string | undefined;
  let state: RosterState = {};
  return () => {
    const now = rosterStamp(config);
    if (now === stamp) return state;
    stamp = now;
    try {
      const roster = configuredRoster(config);
      state = roster ? { roster, index: new RosterIndex(roster) } : {};
    } catch (err) {
      state = { problem: err instanceof Error ? err.message : String(err) };
    }
    return state;
  };
}
