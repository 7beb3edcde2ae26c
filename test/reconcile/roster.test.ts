// The roster: the example files load; every mistake names the file, the line and the field.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { csvRecords, loadRoster, parseRosterCsv, parseRosterYaml, parseWhen, patternNameWarnings } from '../../src/reconcile/roster.js';
import { REPO } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('no error');
}

describe('the example roster', () => {
  it('YAML and CSV load together', () => {
    const r = loadRoster([join(REPO, 'config/roster.example.yaml'), join(REPO, 'config/roster.example.csv')]);
    expect(r.entries.map((e) => e.name)).toEqual(['jdoe', 'noc-view', 'noc-view', 'svc-ansible', 'vendor-tac', 'breakglass', 'jdoe', 'noc-view', 'svc-backup', 'breakglass']);
    expect(r.administrators.map((a) => a.name)).toEqual(['jdoe', 'asmith']);
    expect(r.administrators[1]!.scope.groups).toEqual(['datacenter']);
    expect(r.automation.map((a) => a.name)).toEqual(['svc-ansible', 'svc-nso']);
    const vendor = r.entries.find((e) => e.name === 'vendor-tac')!;
    expect(vendor).toMatchObject({ type: 'vendor', privilege: '5', start: Date.UTC(2026, 10, 1), expires: Date.UTC(2026, 10, 30, 23, 59, 59, 999), mustExist: false });
    expect(vendor.ref).toMatch(/roster\.example\.yaml:\d+$/);
    // Break-glass accounts must exist unless the roster says otherwise.
    expect(r.entries.filter((e) => e.mustExist).map((e) => e.name)).toEqual(['breakglass', 'breakglass']);
    const csv = r.entries.find((e) => e.name === 'svc-backup')!;
    expect(csv).toMatchObject({ owner: 'Backup team, storage', scope: { devices: ['core-*', 'edge-*'], groups: [], platforms: [] }, ref: expect.stringMatching(/roster\.example\.csv:5$/) });
    expect(r.windows.map((w) => w.kind)).toEqual(['weekly', 'once']);
    // Its names are literal names: nothing for check to warn of (a pattern-looking name would be).
    expect(patternNameWarnings(r)).toEqual([]);
    const pattern = parseRosterYaml('automation: [svc-ansible, "svc-?"]\naccounts:\n  - { name: "WS01$", devices: ["*"], privilege: 1, type: service }\n  - { name: "a|b", devices: ["*"], privilege: 1, type: human }\n', 'r.yaml');
    expect(patternNameWarnings(pattern).map((w) => w.split(' holds ')[0])).toEqual(['r.yaml:4: accounts[1].name: "a|b"', 'r.yaml:1: automation[1]: "svc-?"']);
  });
});

describe('mistakes, by file, line and field', () => {
  it('YAML', () => {
    const text = [
      'administrators: [jdoe]', //                         1
      'changeWindows:', //                                  2
      '  - name: w', //                                     3
      '    days: [sat, funday]', //                         4
      '    from: "25:00"', //                               5
      '    to: "04:00"', //                                 6
      '  - name: once', //                                  7
      '    start: 2026-11-20T13:00:00Z', //                 8
      '    end: 2026-11-20T12:00:00Z', //                   9
      'accounts:', //                                       10
      '  - name: bob', //                                   11
      '    privilege: 15', //                               12
      '    type: human', //                                 13
      '  - name: alice', //                                 14
      '    devices: ["*"]', //                              15
      '    type: admin', //                                 16
      '    expires: 2026-02-30', //                         17
      '    colour: blue', //                                18
      '  - name: carol', //                                 19
      '    platforms: [cisco-foo]', //                      20
      '    privilege: 1', //                                21
      '    type: service', //                               22
      '    start: 2026-03-01', //                           23
      '    expires: 2026-02-01', //                         24
    ].join('\n');
    expect(problems(() => parseRosterYaml(text, 'roster.yaml'))).toEqual([
      'roster.yaml:4: changeWindows[0].days[1]: Invalid option: expected one of "sun"|"mon"|"tue"|"wed"|"thu"|"fri"|"sat"',
      'roster.yaml:5: changeWindows[0].from: must be a time of day, like "22:00"',
      'roster.yaml:7: changeWindows[1].ticket: required for a one-off window: the change ticket that approved it',
      'roster.yaml:9: changeWindows[1].end: is not after start',
      'roster.yaml:11: accounts[0].devices: say where the account is allowed: devices, groups or platforms ("*" for every device)',
      'roster.yaml:14: accounts[1].privilege: required: the highest privilege allowed, a level 0-15 or a role (network-admin, super-user, …)',
      'roster.yaml:16: accounts[1].type: Invalid option: expected one of "human"|"service"|"shared"|"break-glass"|"vendor"',
      'roster.yaml:17: accounts[1].expires: must be a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)',
      'roster.yaml:18: accounts[1].colour: unknown key colour',
      expect.stringMatching(/^roster\.yaml:20: accounts\[2\]\.platforms\[0\]: unknown platform \(known: (?:[\w-]+, )*cisco-ios, /),
      'roster.yaml:24: accounts[2].expires: is before start',
    ]);
  });

  it('a day that does not exist, written as a day or as a time with its zone', () => {
    // Date.parse reads 2027-02-30T10:00Z as 2 March and 2026-09-31T… as 1 October: refused, not moved.
    for (const v of ['2027-02-30', '2027-02-30T10:00Z', '2026-09-31T23:00:00+02:00', '2026-13-01T00:00Z', '2026-00-10T00:00Z']) expect(parseWhen(v, true), v).toBeUndefined();
    expect(parseWhen('2028-02-29T10:00Z', true)).toBe(Date.UTC(2028, 1, 29, 10));
    expect(parseWhen('2026-12-31T19:00:00+01:00', false)).toBe(Date.UTC(2026, 11, 31, 18));
    expect(problems(() => parseRosterYaml('accounts:\n  - { name: x, devices: ["*"], privilege: 1, type: human, expires: "2027-02-30T10:00:00Z" }\n', 'r.yaml'))).toEqual([
      'r.yaml:2: accounts[0].expires: must be a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)',
    ]);
  });

  it('YAML syntax', () => {
    expect(problems(() => parseRosterYaml('accounts:\n  - name: [bob\n', 'r.yaml'))[0]).toMatch(/^r\.yaml:\d+: /);
    expect(problems(() => parseRosterYaml('accounts: []\naccounts: []\n', 'r.yaml'))[0]).toBe('r.yaml:2: accounts: duplicate key (first on line 1)');
  });

  it('CSV, counting lines inside quoted fields', () => {
    const text = 'name,devices,privilege,type,expires\nbob,*,15,human,2026-13-01\n"multi\nline",*,,vendor,\nok,*,1,service,\n';
    expect(problems(() => parseRosterCsv(text, 'r.csv'))).toEqual([
      'r.csv:2: expires: must be a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)',
      'r.csv:3: name: must be an account name without spaces or control characters',
      'r.csv:3: privilege: required: the highest privilege allowed, a level 0-15 or a role (network-admin, super-user, …)',
    ]);
    expect(problems(() => parseRosterCsv('name,colour\n', 'r.csv'))).toEqual([
      'r.csv:1: unknown column colour (columns: name, devices, groups, platforms, privilege, roles, type, owner, department, approval, approver, start, expires, mustexist)',
      'r.csv:1: missing column privilege',
      'r.csv:1: missing column type',
    ]);
    expect(csvRecords('a,"b\n""c"""\r\nd,e')).toEqual([
      { line: 1, fields: ['a', 'b\n"c"'] },
      { line: 3, fields: ['d', 'e'] },
    ]);
  });

  it('across files, every problem at once; an unreadable file is one of them', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), 'accounts:\n  - { name: x, devices: ["*"], privilege: 1, type: human, start: soon }\n');
    writeFileSync(join(dir, 'b.csv'), 'name,devices,privilege,type\ny,*,1,robot\n');
    expect(problems(() => loadRoster([join(dir, 'a.yaml'), join(dir, 'b.csv'), join(dir, 'missing.yaml')]))).toEqual([
      `${join(dir, 'a.yaml')}:2: accounts[0].start: must be a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)`,
      `${join(dir, 'b.csv')}:2: type: Invalid option: expected one of "human"|"service"|"shared"|"break-glass"|"vendor"`,
      `${join(dir, 'missing.yaml')}: cannot read the roster: ENOENT`,
    ]);
  });
});
