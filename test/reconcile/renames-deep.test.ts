// What a renamed account holds is followed back through its renames the same bounded number of
// times (renames.ts RENAMES_FOLLOWED) by the account-created finding and by the Accounts row, and
// starts from what a pull said an old name held when no record shows it. Before: the finding
// followed one rename back and the row four, so `useradd -o -u 0 ra` renamed ra→rb→rc→rd raised
// rd's account-created high while its row said superuser; and a pulled UID 0 account renamed
// (`usermod -l pnew proot`, the UID known from the pull alone) was high, its row no superuser.
// Both engines; shadow-utils lines through the real pipeline.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import type { PopulationRow } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { ReconcileOptions } from '../../src/reconcile/run.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { linux, RENAME_T0 } from '../support/rename-sources.js';

const MIN = 60_000;
const T = RENAME_T0;
const PULLED = T - 10 * MIN;
const roster = parseRosterYaml('administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n', 'roster.yaml');
const WEB1 = { name: 'web1', platform: 'linux', groups: [] };
const options = (now: number): ReconcileOptions => ({
  roster, devices: [WEB1], dormantDays: 90, silentHours: 24 * 365, requiredChecks: [],
  collectorAddresses: ['192.0.2.10'], skewMs: 5 * MIN, now, senders: { inventory: [], relays: [] },
});

const LINES = [
  linux(1, 'useradd', 'new user: name=ra, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/1'),
  linux(2, 'usermod', "change user name 'ra' to 'rb'"),
  linux(3, 'usermod', "change user name 'rb' to 'rc'"),
  linux(4, 'usermod', "change user name 'rc' to 'rd'"),
  // proot: UID 0 as web1's pull shows it; no record of its making.
  linux(5, 'usermod', "change user name 'proot' to 'pnew'"),
];

/** A pull of web1 holding jdoe and proot, UID 0. */
function web1Pull(at: number): Parameters<Side['pulls']['recordSuccess']>[0] {
  const accounts = [
    { name: 'jdoe', privilege: 'uid=1000', roles: [], credentials: ['password' as const], lines: ['jdoe:x:1000:1000::/home/jdoe:/bin/bash'] },
    { name: 'proot', privilege: 'uid=0', roles: [], credentials: ['password' as const], lines: ['proot:x:0:0::/root:/bin/bash'] },
  ];
  const text = accounts.map((a) => a.lines[0]).join('\n');
  const digest: Digest = { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
  const hostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('web1').digest(), fingerprint: 'SHA256:web1' };
  return { device: 'web1', platform: 'linux', startedAt: at - 1000, finishedAt: at, attempts: 1, digest, hostKey, keySource: 'tofu' as const };
}

describeEngines('renames followed alike by the finding and the Accounts row', (engine) => {
  let side: Side;
  let severity: Record<string, string>;
  let rows: Map<string, PopulationRow>;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(web1Pull(PULLED));
    await side.run(options(PULLED + MIN));
    await side.ingest(LINES, '192.0.2.21', 'a', T + 5000);
    await side.run(options(T + MIN));
    severity = Object.fromEntries((await side.rows(`SELECT account, severity FROM findings WHERE kind = 'account-created'`)).map((r) => [String(r.account), String(r.severity)]));
    const ctx = { roster: undefined, inventory: new Map([[WEB1.name, WEB1]]), dormantDays: 90, from: PULLED - MIN, to: T + 10 * MIN };
    rows = new Map((await (await side.access()).populationPage(ctx, {}, undefined, 100)).rows.map((r) => [r.account, r]));
  });
  afterAll(() => side?.close());

  it('a→b→c→d with UID 0 given to a: d\'s account-created is critical and its row a superuser with uid=0', () => {
    expect(severity.rd).toBe('critical');
    const rd = rows.get('rd');
    expect([rd?.source, rd?.superuser, rd?.privilege]).toEqual(['syslog', true, expect.stringContaining('uid=0')]);
  });

  it('a pulled UID 0 account renamed: critical, and its row a superuser with uid=0', () => {
    expect(severity.pnew).toBe('critical');
    const pnew = rows.get('pnew');
    expect([pnew?.source, pnew?.superuser, pnew?.privilege, pnew?.attribution]).toEqual(['syslog', true, expect.stringContaining('uid=0'), 'renamed from proot']);
  });
});
