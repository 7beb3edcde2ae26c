// Windows accounts in the population (the Accounts page and exports): one row per computer and
// account, whatever form an event names the account in (parsers/windows/names.ts). Real ingest
// over UDP into a SQLite file, a full reconciliation, then the population read.
//
// Snare lines in the corpus's layout (test/corpus/syslog/windows) behind an RFC 5424 header, with
// member Security IDs as Event Viewer renders them once resolved (`CORP\name`, Microsoft's 4732
// reference) or left as SIDs, and 4781 as sample-windows2022-security.data:144 writes it. Names,
// SIDs and hosts invented.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { population, type PopulationContext } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { startPipeline, type Pipeline } from './support.js';

const ROSTER = 'administrators: [admin.kim]\naccounts:\n  - { name: admin.kim, devices: ["*"], privilege: 15, type: human, owner: Kim, approval: ACC-1 }\n';
const DC = 'CORP-DC1.corp.example';
const DAY = 86_400_000;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SUBJECT = 'Subject:   Security ID:  S-1-5-21-1-2-3-1105   Account Name:  admin.kim   Account Domain:  CORP   Logon ID:  0x3E7    ';

let p: Pipeline;
let seq = 9000;
const t0 = Date.now() - 60_000;

function snare(at: number, id: number, category: string, text: string): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  const ctime = `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  return `<14>1 ${d.toISOString()} CORP-DC1 - - - - MSWinEventLog\t1\tSecurity\t${seq++}\t${ctime}\t${id}\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tSuccess Audit\t${DC}\t${category}\t\t${text}\t${seq}`;
}
const created = (name: string, sid: string) =>
  `A user account was created.    ${SUBJECT}New Account:   Security ID:  ${sid}   Account Name:  ${name}   Account Domain:  CORP    Attributes:   SAM Account Name: ${name}    Additional Information:   Privileges  -`;
const added = (verb: string, memberSid: string, memberName: string, group: string, groupSid: string, domain: string) =>
  `A member was added to a security-enabled ${verb} group.    ${SUBJECT}Member:   Security ID:  ${memberSid}   Account Name:  ${memberName}    ` +
  `Group:   Security ID:  ${groupSid}   Group Name:  ${group}   Group Domain:  ${domain}    Additional Information:   Privileges:  -`;
const renamed = (sid: string, old: string, name: string) =>
  `The name of an account was changed:    ${SUBJECT}Target Account:   Security ID:  ${sid}   Account Domain:  CORP   Old Account Name: ${old}   New Account Name: ${name}    Additional Information:   Privileges:  -`;

const ctx = (): PopulationContext => ({
  roster: new RosterIndex(parseRosterYaml(ROSTER, 'roster.yaml')), inventory: new Map(), dormantDays: 90, from: t0 - DAY, to: Date.now() + DAY,
});

beforeAll(async () => {
  p = await startPipeline(ROSTER);
  const lines = [
    // mallory made on the domain controller, then added to Administrators as CORP\mallory.
    snare(t0, 4720, 'User Account Management', created('mallory', 'S-1-5-21-1-2-3-1203')),
    snare(t0 + 1000, 4732, 'Security Group Management', added('local', 'CORP\\mallory', 'CN=Mallory Jones,OU=Staff,DC=corp,DC=example', 'Administrators', 'S-1-5-32-544', 'Builtin')),
    // A partner domain's mallory: another principal.
    snare(t0 + 2000, 4732, 'Security Group Management', added('local', 'PARTNER\\mallory', '-', 'Administrators', 'S-1-5-32-544', 'Builtin')),
    // backup1 made, then added to Domain Admins by SID alone.
    snare(t0 + 3000, 4720, 'User Account Management', created('backup1', 'S-1-5-21-1-2-3-1300')),
    snare(t0 + 4000, 4728, 'Security Group Management', added('global', 'S-1-5-21-1-2-3-1300', '-', 'Domain Admins', 'S-1-5-21-1-2-3-512', 'CORP')),
    // A SID no account event here named.
    snare(t0 + 5000, 4732, 'Security Group Management', added('local', 'S-1-5-21-9-9-9-1999', '-', 'Remote Desktop Users', 'S-1-5-32-555', 'Builtin')),
    // temp1 made and renamed svc.report.
    snare(t0 + 6000, 4720, 'User Account Management', created('temp1', 'S-1-5-21-1-2-3-1400')),
    snare(t0 + 7000, 4781, 'User Account Management', renamed('S-1-5-21-1-2-3-1400', 'temp1', 'svc.report')),
  ];
  // One at a time, in order: a member event is named by the account events before it.
  let records = 0;
  for (const line of lines) {
    const n = line.includes('\t4781\t') ? 2 : 1;
    await p.send([line], n);
    records += n;
  }
  expect(records).toBe(9);
  p.service.run();
});
afterAll(async () => {
  await p?.stop();
});

describe('Windows accounts in the population', () => {
  it('lists each account once, under the name the account events give it', () => {
    const rows = [...population(p.db, ctx())].filter((r) => r.device === DC);
    expect(rows.map((r) => [r.account, r.state, r.superuser, r.createdBy])).toEqual([
      ['PARTNER\\mallory', 'present', true, null],
      ['S-1-5-21-9-9-9-1999', 'present', false, null],
      // Domain Admins, granted to the SID the 4720 gave backup1.
      ['backup1', 'present', true, 'admin.kim'],
      // One row for the 4720's mallory and the 4732's CORP\mallory: the 4720 gave CORP as its domain.
      ['mallory', 'present', true, 'admin.kim'],
      // The rename moved the row: the new name made (by changing an account), the old one removed.
      ['svc.report', 'present', false, 'admin.kim'],
      ['temp1', 'removed', false, 'admin.kim'],
    ]);
    expect(rows.find((r) => r.account === 'mallory')!.privilege).toContain('Administrators');
    expect(rows.find((r) => r.account === 'temp1')!.removedBy).toBe('admin.kim');
  });

  it('matches a Windows account and actor with the roster without regard to case, as Windows names them; an IOS name as written', () => {
    const roster = new RosterIndex(parseRosterYaml('administrators: [ADMIN.KIM]\naccounts:\n  - { name: SVC.Report, devices: ["*"], privilege: 1, type: service, owner: Reports team, approval: ACC-7 }\n', 'roster.yaml'));
    const rows = [...population(p.db, { ...ctx(), roster })].filter((r) => r.device === DC);
    expect(rows.find((r) => r.account === 'svc.report')).toMatchObject({ rosterMatch: 'authorised', owner: 'Reports team', approvalRef: 'ACC-7' });
    expect(rows.find((r) => r.account === 'temp1')!.rosterMatch).toBe('not on roster');
    const dc = { name: DC, platform: 'windows', groups: [] };
    expect(roster.isAdministrator('admin.kim', dc)).toBe(true);
    expect(roster.entriesFor('svc.report', { ...dc, platform: 'azure-entra' })).toHaveLength(1);
    const ios = { name: 'core-sw1', platform: 'cisco-ios', groups: [] };
    expect(roster.isAdministrator('admin.kim', ios)).toBe(false);
    expect(roster.entriesFor('svc.report', ios)).toHaveLength(0);
    expect(roster.entriesFor('SVC.Report', ios)).toHaveLength(1);
  });

  it('raises the findings on the account that holds the privilege, not on a name nobody holds', () => {
    const accounts = new Set(p.findings().filter((f) => f.device === DC).map((f) => f.account));
    expect(accounts.has('mallory')).toBe(true);
    expect(accounts.has('backup1')).toBe(true);
    expect(accounts.has('CORP\\mallory')).toBe(false);
    expect(accounts.has('S-1-5-21-1-2-3-1300')).toBe(false);
  });
});
