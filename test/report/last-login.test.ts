// An account's last login in the export, on either engine. The PostgreSQL export copies what the
// review reads into SQLite; it copied the sign-ins of the accounts' makers only, so an account's
// own last login (the dormancy an auditor samples for, PCI DSS 8.2.6) was missing from a
// PostgreSQL export unless that account had made an account itself — found comparing one store's
// evidence pack with its `aaawatch migrate`d copy's: accounts.csv's "last login" empty, the
// RADIUS session cited by SQLite's pack absent. Both engines here, each store written by its own
// writer: an account made by jdoe and known from syslog alone, one found by a pull, each signing
// in (ASA 605005 as Cisco's syslog guide prints it, names and addresses invented).

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { configSchema } from '../../src/config/schema.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import type { LocalAccount } from '../../src/types.js';
import { ASA_FW, asaLine, asaOptions } from '../support/asa-fw.js';
import { describeEngines } from '../support/engines.js';
import { postgresSide, sqliteSide, type Side } from '../support/reconcile-sides.js';
import { tempDir } from '../support/temp.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 11, 6, 2, 0);
const TEXT = 'administrators: [jdoe]\naccounts:\n  - { name: jdoe, devices: ["*"], privilege: 15, type: human }\n';
const ROSTER_FILE = join(tempDir(), 'roster.yaml');
writeFileSync(ROSTER_FILE, TEXT);
const roster = parseRosterYaml(TEXT, ROSTER_FILE);
const login = (t: number, user: string, from: string): string => asaLine(t, 'ASA-6-605005', `Login permitted from ${from}/51234 to management:192.0.2.1/ssh for user "${user}"`);

const VENDOR_LOGIN = T0 + 20 * MIN;
const OPER_LOGIN = T0 + 30 * MIN;
const LINES = [
  login(T0 + 5 * MIN, 'jdoe', '10.1.2.3'),
  asaLine(T0 + 6 * MIN, 'ASA-5-502101', 'New user added to local dbase: Uname: vendor-tac Priv: 15 Encpass: ***** Executed by: jdoe'),
  login(T0 + 10 * MIN, 'vendor-tac', '203.0.113.9'),
  login(VENDOR_LOGIN, 'vendor-tac', '203.0.113.9'),
  login(OPER_LOGIN, 'oper1', '10.1.2.4'),
];

const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('fw1').digest(), fingerprint: 'SHA256:fw1' };
const asaUser = (name: string): LocalAccount => ({ name, privilege: '15', roles: [], credentials: ['password'], lines: [`username ${name} password <redacted> pbkdf2 privilege 15`] });
function pull(at: number, names: readonly string[]): Parameters<Side['pulls']['recordSuccess']>[0] {
  const accounts = names.map(asaUser);
  const text = ['hostname fw1', ...accounts.map((a) => a.lines[0])].join('\n');
  const digest: Digest = { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
  return { device: 'fw1', platform: 'cisco-asa', startedAt: at - 1000, finishedAt: at, attempts: 1, digest, hostKey, keySource: 'tofu' as const };
}

describeEngines('an account\'s last login in the export', (engine) => {
  let side: Side;

  beforeAll(async () => {
    const target = await engine.fresh();
    side = target.kind === 'sqlite' ? sqliteSide(target.path) : await postgresSide(target);
    await side.pulls.recordSuccess(pull(T0, ['jdoe', 'oper1']));
    await side.ingest(LINES, ASA_FW.address, 'a', T0 + HOUR);
    await side.run(asaOptions(roster, T0 + HOUR + MIN));
  });
  afterAll(() => side?.close());

  it('is each account\'s own latest sign-in: one known from syslog alone, and one a pull found', async () => {
    const config = configSchema.parse({ store: { path: join(tempDir(), 'unused.db') }, devices: [{ name: ASA_FW.name, address: ASA_FW.address, platform: ASA_FW.platform }] });
    const rows = await (await side.access()).review(config, roster, { now: T0 + 2 * HOUR, from: T0, to: T0 + 2 * HOUR, by: 'test' }, async (doc) => doc.rows);
    const last = Object.fromEntries(rows.map((r) => [r.account, r.lastLogin]));
    expect(last).toEqual({ jdoe: T0 + 5 * MIN, oper1: OPER_LOGIN, 'vendor-tac': VENDOR_LOGIN });
  });
});
