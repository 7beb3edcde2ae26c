// An acceptance that runs out is reopened by serve's reconciliation within
// reconcile.pullCheckSeconds, not at the next scheduled run: the findings and cases pages read the
// stored status, and showed an acceptance that ended 05:39:54 as "accepted until 05:39:54" at
// 05:40:05 and on, until the quarter-hourly run (the exports read it as open from its end:
// test/report/period-end.test.ts). The reopening is in the finding's history, so it is alerted.

import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { raiseFinding } from '../../src/reconcile/findings.js';
import { accept, findingHistory, getFinding } from '../../src/reconcile/lifecycle.js';
import { ReconcileService } from '../../src/reconcile/service.js';
import { openDatabase } from '../../src/store/db.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('aaawatch-acceptance-end-');
// The schedule is yearly: only the poll can reopen it within the test.
const config = configSchema.parse({ store: { path: join(dir, 'a.db') }, reconcile: { schedule: '0 0 1 1 *', pullCheckSeconds: 1 } });
const db = openDatabase(config.store.path);
const service = new ReconcileService({ config, db, log: pino({ level: 'silent' }) });
afterAll(async () => {
  await service.stop();
  db.close();
});

it('reopens an acceptance that ran out without waiting for the scheduled run, with an entry in its history', async () => {
  service.start();
  const id = raiseFinding(db, { kind: 'unauthorised-account', severity: 'high', device: 'sw1', account: 'eve', summary: 'eve is not on the roster', evidence: {}, at: Date.now() }).id;
  const until = Date.now() + 1500;
  accept(db, id, { by: 'carol', path: { kind: 'web', user: 'carol' }, reason: 'vendor for the night', until, ticket: 'RISK-8', at: Date.now() });
  expect(getFinding(db, id)?.status).toBe('accepted');
  const deadline = Date.now() + 15_000;
  while (getFinding(db, id)?.status === 'accepted' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(getFinding(db, id)).toMatchObject({ status: 'open', acceptedUntil: null });
  expect(findingHistory(db, id).at(-1)).toMatchObject({ from: 'accepted', to: 'open', by: 'aaawatch' });
});
