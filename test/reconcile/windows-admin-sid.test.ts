// Windows administrative groups by SID (issue 15): a member added to the builtin Administrators
// (S-1-5-32-544) or a domain's Domain/Schema/Enterprise Admins (RID 512/518/519) holds full
// administration whatever the group is called in the host's language (`Administratoren`,
// `Administrateurs`, `Domänen-Admins`), so the account is a superuser and its grant by someone
// who is not an authorised administrator, outside any change window, is critical. Real ingest
// over UDP into SQLite, a full reconciliation, then the findings and the population read. Snare
// lines in the corpus's layout (test/corpus/syslog/windows); names, SIDs and hosts invented.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { population } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { startPipeline, type Pipeline } from './support.js';

// helpdesk.anna is nobody the roster names; admin.kim is an authorised administrator.
const ROSTER = 'administrators: [admin.kim]\naccounts:\n  - { name: admin.kim, devices: ["*"], privilege: 15, type: human, owner: Kim, approval: ACC-1 }\n';
const HOST = 'WS-BERLIN-07.corp.example';
const DAY = 86_400_000;
const SUBJECT = 'Subject:   Security ID:  S-1-5-21-1-2-3-1500   Account Name:  helpdesk.anna   Account Domain:  CORP   Logon ID:  0x3E7    ';

let p: Pipeline;
let seq = 100;
const t0 = Date.now() - 60_000;

function snare(at: number, id: number, text: string): string {
  const d = new Date(at);
  const ctime = d.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4');
  return `<14>1 ${d.toISOString()} WS-BERLIN-07 - - - - MSWinEventLog\t1\tSecurity\t${seq++}\t${ctime}\t${id}\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tSuccess Audit\t${HOST}\tSecurity Group Management\t\t${text}\t${seq}`;
}
const added = (scope: string, memberSid: string, group: string, groupSid: string, domain: string) =>
  `A member was added to a security-enabled ${scope} group.    ${SUBJECT}Member:   Security ID:  ${memberSid}   Account Name:  -    ` +
  `Group:   Security ID:  ${groupSid}   Group Name:  ${group}   Group Domain:  ${domain}    Additional Information:   Privileges:  -`;

beforeAll(async () => {
  p = await startPipeline(ROSTER);
  const lines = [
    snare(t0, 4732, added('local', 'S-1-5-21-1-2-3-2001', 'Administratoren', 'S-1-5-32-544', 'VORDEFINIERT')),
    snare(t0 + 1000, 4732, added('local', 'S-1-5-21-1-2-3-2002', 'Administrateurs', 'S-1-5-32-544', 'BUILTIN')),
    snare(t0 + 2000, 4728, added('global', 'S-1-5-21-1-2-3-2003', 'Domänen-Admins', 'S-1-5-21-1-2-3-512', 'CORP')),
    snare(t0 + 3000, 4756, added('universal', 'S-1-5-21-1-2-3-2004', 'Organisations-Admins', 'S-1-5-21-1-2-3-519', 'CORP')),
    // Not administrative: the builtin Users (-545), and a domain group someone named as the builtin one.
    snare(t0 + 4000, 4732, added('local', 'S-1-5-21-1-2-3-2005', 'Benutzer', 'S-1-5-32-545', 'VORDEFINIERT')),
    snare(t0 + 5000, 4728, added('global', 'S-1-5-21-1-2-3-2006', 'Administrators', 'S-1-5-21-1-2-3-1105', 'CORP')),
  ];
  for (const line of lines) await p.send([line], 1);
  p.service.run();
});
afterAll(async () => {
  await p?.stop();
});

describe('Windows administrative groups by SID', () => {
  it('makes a member of a localised or renamed administrative group a superuser, and its unauthorised grant critical', () => {
    const created = new Map(p.findings('account-created').filter((f) => f.device === HOST).map((f) => [f.account, f.severity]));
    expect(Object.fromEntries(created)).toEqual({
      'S-1-5-21-1-2-3-2001': 'critical',
      'S-1-5-21-1-2-3-2002': 'critical',
      'S-1-5-21-1-2-3-2003': 'critical',
      'S-1-5-21-1-2-3-2004': 'critical',
      'S-1-5-21-1-2-3-2005': 'high',
      'S-1-5-21-1-2-3-2006': 'high',
    });
    const ctx = { roster: new RosterIndex(parseRosterYaml(ROSTER, 'roster.yaml')), inventory: new Map(), dormantDays: 90, from: t0 - DAY, to: Date.now() + DAY };
    const rows = [...population(p.db, ctx)].filter((r) => r.device === HOST);
    expect(rows.map((r) => [r.account, r.superuser])).toEqual([
      ['S-1-5-21-1-2-3-2001', true], ['S-1-5-21-1-2-3-2002', true], ['S-1-5-21-1-2-3-2003', true],
      ['S-1-5-21-1-2-3-2004', true], ['S-1-5-21-1-2-3-2005', false], ['S-1-5-21-1-2-3-2006', false],
    ]);
    // The name the host gave stays for the reader, with the SID that decided.
    expect(rows[0]!.privilege).toContain('Administratoren (S-1-5-32-544)');
  });
});
