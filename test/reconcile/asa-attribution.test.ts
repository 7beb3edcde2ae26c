// An ASA account created by a named administrator, end to end: syslog over UDP into a real ingest
// service (worker thread, SQLite), configuration pulls from the SSH emulator replaying the real
// ASA 5512 recording (edited to hold the new user), and reconciliation. The finding's attribution
// names 502101's `Executed by:`; the 502103 lines of the same minutes (jdoe's `enable`, the new
// user's own login raised to 15) are sessions, and neither makes the creator "an unnamed actor"
// nor turns the creation into "several records fit" (issue #15, item 6).
//
// ASA lines written in the formats of Cisco's ASA syslog messages guide (605005, 502101, 502103)
// with `logging timestamp` and `logging device-id hostname`; names and addresses invented.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullDevice } from '../../src/pull/run.js';
import { presentAccounts } from '../../src/store/pull.js';
import { corpusPath } from '../support/corpus.js';
import { startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { emulatedTarget, pullContext } from '../support/emulator/targets.js';
import { loadTranscript, type Transcript } from '../support/emulator/transcript.js';
import { startPipeline, type Pipeline } from './support.js';

const ROSTER = `
administrators: [jdoe]
automation: [oxidized]
accounts:
  - { name: oxidized, devices: ["*"], privilege: 15, type: service, owner: Backup team, approval: ACC-1 }
`;

const ASA = (): Transcript => loadTranscript(corpusPath('ssh-sessions', 'asa#5512_9.12-4-67_single-context#simulation.yaml'));
/** The recording with a user added after oxidized, in the configuration `more system:running-config` prints. */
const withVendor = (t: Transcript): Transcript => ({
  ...t,
  exchanges: t.exchanges.map((e) => ({
    ...e,
    response: e.response.replace(/(username oxidized [^\n]*\n)/, '$1username vendor-tac password $sha512$5000$VVVVVVVVVVWWWWWWWWWWXXXXXXXXXX== pbkdf2 privilege 15\n'),
  })),
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `logging timestamp` prints `Nov 20 2026 09:30:00` (no zone: the device's zone, UTC by default). */
function asaLine(t: number, tag: string, text: string): string {
  const d = new Date(t);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `<166>${stamp} fw1 : %${tag}: ${text}`;
}

let p: Pipeline;
const emulators: RunningEmulator[] = [];

async function pullAsa(transcript: Transcript): Promise<void> {
  const emu = await startEmulator({ transcript });
  emulators.push(emu);
  const result = await pullDevice(pullContext(p.db), emulatedTarget(emu.port, 'cisco-asa', { name: 'fw1' }));
  expect(result.outcome).toBe('changed');
  p.ingest.knowledge.setDevice('fw1', presentAccounts(p.db, 'fw1').map((a) => a.name));
}

beforeAll(async () => {
  p = await startPipeline(ROSTER);
});

afterAll(async () => {
  for (const e of emulators) await e.close();
  await p.stop();
});

describe('ASA: an account attributed to 502101 Executed by', () => {
  it('baseline pull of the real recording', async () => {
    await pullAsa(ASA());
    p.service.run();
    expect(presentAccounts(p.db, 'fw1').map((a) => a.name)).toEqual(['oxidized']);
  });

  it('jdoe logs in, enables, creates vendor-tac; vendor-tac logs in and enables: one account record, by jdoe', async () => {
    const now = Date.now() - 60_000;
    await p.send([
      asaLine(now - 40_000, 'ASA-6-605005', 'Login permitted from 10.1.2.3/51234 to management:192.0.2.1/ssh for user "jdoe"'),
      asaLine(now - 30_000, 'ASA-5-502103', 'User priv level changed: Uname: jdoe From: 1 To: 15'),
      asaLine(now - 20_000, 'ASA-5-502101', 'New user added to local dbase: Uname: vendor-tac Priv: 15 Encpass: ***** Executed by: jdoe'),
      asaLine(now - 10_000, 'ASA-6-605005', 'Login permitted from 203.0.113.9/40000 to management:192.0.2.1/ssh for user "vendor-tac"'),
      asaLine(now, 'ASA-5-502103', 'User priv level changed: Uname: vendor-tac From: 1 To: 15'),
    ], 5);
    const accountRecords = p.db.prepare(`SELECT action, target, actor FROM events WHERE kind = 'account' ORDER BY id`).all();
    expect(accountRecords).toEqual([{ action: 'account.create', target: 'vendor-tac', actor: 'jdoe' }]);
    const sessions = p.db.prepare(`SELECT action, actor, privilege FROM events WHERE kind = 'session' AND privilege IS NOT NULL ORDER BY id`).all();
    expect(sessions).toEqual([
      { action: 'session.start', actor: 'jdoe', privilege: '15' },
      { action: 'session.start', actor: 'vendor-tac', privilege: '15' },
    ]);
  });

  it('the next pull shows vendor-tac, created by jdoe from 10.1.2.3', async () => {
    await pullAsa(withVendor(ASA()));
    p.service.run();
    const found = p.findings().filter((f) => f.device === 'fw1' && f.account === 'vendor-tac');
    expect(found.length).toBeGreaterThan(0);
    const attributed = found.filter((f) => f.attribution);
    expect(attributed.length).toBeGreaterThan(0);
    for (const f of attributed) {
      // 502101 says nothing of the path; jdoe's login (605005 over ssh) gives the address.
      expect(f.attribution).toMatch(/^vendor-tac \(privilege 15\) on fw1 created \d{4}-\d\d-\d\d \d\d:\d\d UTC by jdoe from 10\.1\.2\.3, recorded by device log, outside any change window$/);
      expect(f.attribution).not.toContain('an unnamed actor');
      expect(f.attribution).not.toContain('several records fit');
    }
  });
});
