// One ASA, fw1 at 192.0.2.11, for reconciliation tests on both engines: its inventory entry, the
// options a run over it takes, and its lines with `logging timestamp` and `logging device-id
// hostname` (the shapes of test/corpus/syslog/cisco-asa; names and addresses invented).

import { createHash } from 'node:crypto';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import type { Roster } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import type { LocalAccount } from '../../src/types.js';
import type { Side } from './reconcile-sides.js';

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

const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('fw1').digest(), fingerprint: 'SHA256:fw1' };
const asaUser = (name: string): LocalAccount => ({ name, privilege: '15', roles: [], credentials: ['password'], lines: [`username ${name} password <redacted> pbkdf2 privilege 15`] });

/** A successful pull of fw1 finishing at `at` (started a second before), holding these privilege-15 accounts. */
export function asaPull(at: number, names: readonly string[]): Parameters<Side['pulls']['recordSuccess']>[0] {
  const accounts = names.map(asaUser);
  const text = ['hostname fw1', ...accounts.map((a) => a.lines[0]), 'logging host inside 192.0.2.10'].join('\n');
  const digest: Digest = { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
  return { device: 'fw1', platform: 'cisco-asa', startedAt: at - 1000, finishedAt: at, attempts: 1, digest, hostKey, keySource: 'tofu' as const };
}

/**
 * The skewed-clock scenario's times on fw1 (reconcile/skewed-clock and skewed-row): a pull P1 an
 * hour after T0, the account made (received) at MADE between them.
 */
export const SKEW = (() => {
  const S = 1000;
  const MIN = 60 * S;
  const HOUR = 60 * MIN;
  const T0 = Date.UTC(2026, 11, 6, 2, 0);
  return { S, MIN, HOUR, T0, P1: T0 + HOUR, MADE: T0 + 30 * MIN };
})();
/** jdoe, the one administrator, on every device at privilege 15. */
export const JDOE_ROSTER_YAML = 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
