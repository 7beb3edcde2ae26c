// The finding on aaawatch itself when its store could not be written for a while (disk full, I/O
// error, locked; on PostgreSQL the server down, unreachable or refusing writes): a gap in what was
// kept. One wording for both engines; each raises it with its own statements.

import { COLLECTOR_DEVICE, type StoreEpisode } from '../store/store-failure.js';
import type { NewFinding } from './findings.js';

const iso = (t: number): string => new Date(t).toISOString().slice(0, 19) + 'Z';

/** One open finding gathers every episode (its evidence merged) until someone resolves it. */
export function storeUnwritableFinding(e: StoreEpisode): NewFinding {
  return {
    kind: 'store-unwritable',
    severity: 'high',
    device: COLLECTOR_DEVICE,
    summary:
      `the store ${e.path} could not be written from ${iso(e.from)} to ${iso(e.to)} (${e.error}): TCP, TLS and RELP senders were held back, ` +
      `RELP, TACACS+ and RADIUS answers waited, ${e.droppedUdp} UDP records were dropped and counted (dropped.store-unwritable)`,
    evidence: { from: e.from, to: e.to, error: e.error, code: e.code ?? null, path: e.path, droppedUdp: e.droppedUdp },
    at: e.to,
  };
}
