// One ASA, fw1 at 192.0.2.11, for reconciliation tests on both engines: its inventory entry, the
// options a run over it takes, and its lines with `logging timestamp` and `logging device-id
// hostname` (the shapes of test/corpus/syslog/cisco-asa; names and addresses invented).

import type { Roster } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';

export const ASA_FW = { name: 'fw1', platform: 'cisco-asa', address: '192.0.2.11' };

/** A reconciliation over fw1 alone, collected at 192.0.2.10, with a 5-minute skew. */
export const asaOptions = (roster: Roster, now: number): ReconcileOptions => ({
  roster, devices: [{ name: ASA_FW.name, platform: ASA_FW.platform, groups: [] }], dormantDays: 90, silentHours: 24 * 365, requiredChecks: [],
  collectorAddresses: ['192.0.2.10'], skewMs: 5 * 60_000, now, senders: { inventory: [{ name: ASA_FW.name, address: ASA_FW.address }], relays: [] },
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** fw1's line at `t` (UTC) for message `tag` (`ASA-5-502101`). */
export const asaLine = (t: number, tag: string, text: string): string => {
  const d = new Date(t);
  return `<166>${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} fw1 : %${tag}: ${text}`;
};
