import { describe, expect, it } from 'vitest';
import { recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import { cases, files } from './cases.js';
import { checkCorpus, recogniser } from '../../../test/parsers/harness.js';

const P = 'fortinet-fortios';
const run = (line: string) => recogniser(recognise, P)(line);
const T = '2026-11-21T22:10:01.000Z';
const base = { platform: P, device: 'FGT-EDGE', time: T };

// Fixtures written for these tests in the formats of the FortiOS Log Message Reference (logids
// 0100044546/0100044547 "Attribute/Object attribute configured", 0100032001/0100032002/0100032003
// admin login, login failed, logout) and Fortinet's article 387138 on the two config logids;
// FortiGates send them with no syslog hostname, so the device is `devname`. Names invented.
const fgt = (fields: string) =>
  `<189>date=2026-11-21 time=22:10:01 devname="FGT-EDGE" devid="FG100FTK00000001" eventtime=1795299001000000000 tz="+0000" ${fields}`;
const cfg = (ui: string, action: string, path: string, obj: string, attr: string) =>
  fgt(`logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="netadmin" ui="${ui}" action="${action}" cfgtid=1 cfgpath="${path}" cfgobj="${obj}" cfgattr="${attr}" msg="${action} ${path} ${obj}"`);

describe('fortinet-fortios corpus', () => {
  it('yields the expected records for every corpus line', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

describe('fortinet-fortios administrators and local users', () => {
  it('yields account.create with the access profile as role, device and time from the body', () => {
    expect(run(cfg('GUI(192.0.2.44)', 'Add', 'system.admin', 'bob', 'password[*]accprofile[prof_admin]vdom[root]')).records).toEqual([
      { ...base, kind: 'account', action: 'account.create', target: 'bob', role: 'prof_admin', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'gui', technique: 'T1136.001' },
    ]);
  });

  it('yields privilege.change when the access profile changes', () => {
    expect(run(cfg('ssh(192.0.2.44)', 'Edit', 'system.admin', 'bob', 'accprofile[prof_admin->super_admin]')).records).toEqual([
      { ...base, kind: 'account', action: 'privilege.change', target: 'bob', role: 'super_admin', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', technique: 'T1098' },
    ]);
  });

  it('yields password.change and account.modify for other edits', () => {
    expect(run(cfg('jsconsole(192.0.2.44)', 'Edit', 'user.local', 'alice', 'passwd[*]')).records[0]).toMatchObject({ action: 'password.change', target: 'alice', path: 'cli' });
    expect(run(cfg('GUI(192.0.2.44)', 'Edit', 'system.admin', 'bob', 'trusthost1[0.0.0.0 0.0.0.0->192.0.2.0 255.255.255.0]')).records[0]).toMatchObject({ action: 'account.modify' });
  });

  it('yields account.delete through the REST API, and no path for FortiManager pushes', () => {
    expect(run(cfg('REST API(192.0.2.60)', 'Delete', 'system.admin', 'bob', '')).records[0])
      .toMatchObject({ action: 'account.delete', target: 'bob', path: 'rest', actorAddress: '192.0.2.60', technique: 'T1531' });
    const pushed = run(cfg('fgfm_tunnel', 'Add', 'user.local', 'carol', 'status[enable]')).records[0];
    expect(pushed).toMatchObject({ action: 'account.create', target: 'carol' });
    expect(pushed).not.toHaveProperty('path');
  });

  it('reports an action it does not know on an account path', () => {
    expect(run(cfg('GUI(192.0.2.44)', 'Move', 'system.admin', 'bob', '')).unknown).toEqual(['fortinet-fortios:system.admin:Move']);
  });
});

describe('fortinet-fortios user groups', () => {
  it('yields group.add_member and group.remove_member from the member list change', () => {
    expect(run(cfg('GUI(192.0.2.44)', 'Edit', 'user.group', 'VPN-Users', 'member[alice \\"bob smith\\"->alice carol]')).records).toEqual([
      { ...base, kind: 'account', action: 'group.add_member', target: 'carol', group: 'VPN-Users', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'gui', technique: 'T1098.007' },
      { ...base, kind: 'account', action: 'group.remove_member', target: 'bob smith', group: 'VPN-Users', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'gui', technique: 'T1098.007' },
    ]);
  });

  it('yields one add per member of a new group', () => {
    expect(run(cfg('GUI(192.0.2.44)', 'Add', 'user.group', 'Admins', 'member[alice bob]')).records.map((r) => 'target' in r && r.target)).toEqual(['alice', 'bob']);
  });
});

describe('fortinet-fortios time', () => {
  // Older FortiOS releases write `date=`/`time=` with neither `eventtime=` nor `tz=`: the
  // FortiGate's wall clock, read in the zone configured for the device.
  const old = cfg('GUI(192.0.2.44)', 'Add', 'system.admin', 'bob', 'accprofile[prof_admin]').replace(' eventtime=1795299001000000000 tz="+0000"', '');
  const berlin = recogniser(recognise, P, { zoneFor: (host) => (host === 'FGT-EDGE' ? 'Europe/Berlin' : undefined) });

  it('reads a zoneless date and time in the device\'s zone', () => {
    expect(berlin(old).records[0]).toMatchObject({ time: '2026-11-21T21:10:01.000Z', device: 'FGT-EDGE' });
    expect(run(old).records[0]).toMatchObject({ time: T });
  });

  it('keeps eventtime and tz as they say', () => {
    expect(berlin(cfg('GUI(192.0.2.44)', 'Add', 'system.admin', 'bob', 'accprofile[prof_admin]')).records[0]).toMatchObject({ time: T });
    expect(berlin(old.replace('time=22:10:01', 'time=22:10:01 tz="+0100"')).records[0]).toMatchObject({ time: '2026-11-21T21:10:01.000Z' });
  });
});

// The CEF rendering of the same events: the header and prefixes as the corpus's CEF lines have
// them (FortiOS 6.0 `FTNTFGT`, later `FortinetFortiGate`), the configuration fields under their
// prefixed names as a FortiGate administrator's public notes show them (`act=Edit
// FTNTFGTcfgpath=… FTNTFGTcfgobj=… FTNTFGTcfgattr=… duser=… sproc=jsconsole(…)`). Names invented.
const cef = (prefix: string, extension: string) =>
  `<189>CEF:0|Fortinet|Fortigate|v7.2.8|44547|event:system|3|deviceExternalId=FG100FTK00000001 ${prefix}logid=0100044547 cat=event:system ${prefix}subtype=system ${prefix}level=information ${prefix}vd=root ${prefix}eventtime=1795299001000000000 ${prefix}tz=+0000 ${prefix}logdesc=Object attribute configured dvchost=FGT-EDGE ${extension}`;

describe('fortinet-fortios in the CEF rendering', () => {
  it('yields the administrator changes, under either vendor prefix', () => {
    for (const prefix of ['FTNTFGT', 'FortinetFortiGate']) {
      const add = cef(prefix, `duser=netadmin sproc=GUI(192.0.2.44) act=Add ${prefix}cfgtid=1 ${prefix}cfgpath=system.admin ${prefix}cfgobj=bob ${prefix}cfgattr=password[*]accprofile[super_admin]vdom[root] msg=Add system.admin bob`);
      expect(run(add).records).toEqual([
        { ...base, kind: 'account', action: 'account.create', target: 'bob', role: 'super_admin', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'gui', technique: 'T1136.001' },
      ]);
    }
    const edit = cef('FTNTFGT', 'duser=netadmin sproc=jsconsole(192.0.2.44) act=Edit FTNTFGTcfgpath=system.admin FTNTFGTcfgobj=bob FTNTFGTcfgattr=accprofile[prof_admin->super_admin]');
    expect(run(edit).records[0]).toMatchObject({ action: 'privilege.change', target: 'bob', role: 'super_admin', path: 'cli' });
  });

  it('yields administrator logins, and nothing for other categories or vendors', () => {
    const login = cef('FTNTFGT', 'FTNTFGTlogdesc=Admin login successful duser=netadmin sproc=ssh(192.0.2.44) FTNTFGTmethod=ssh src=192.0.2.44 act=login outcome=success').replace('|44547|', '|32001|');
    expect(run(login).records).toEqual([{ ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' }]);
    expect(run(login.replace('cat=event:system', 'cat=event:user').replace('FTNTFGTsubtype=system', 'FTNTFGTsubtype=user'))).toEqual({ records: [], unknown: [] });
    // A FortiAnalyzer forwards with `ad.` fields and the type alone in `cat`.
    const forwarded = login.replace('cat=event:system', 'cat=event').replaceAll('FTNTFGT', 'ad.');
    expect(run(forwarded).records).toEqual([{ ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' }]);
    expect(run(login.replace('CEF:0|Fortinet|Fortigate|', 'CEF:0|Fortinet|FortiMail|'))).toEqual({ records: [], unknown: [] });
  });
});

describe('fortinet-fortios logins and rejection', () => {
  it('yields login, login.failed and logout for administrators', () => {
    const login = (id: string, action: string, status: string) =>
      fgt(`logid="${id}" type="event" subtype="system" level="information" vd="root" logdesc="Admin login" user="netadmin" ui="https(192.0.2.44)" method="https" srcip=192.0.2.44 dstip=192.0.2.1 action="${action}" status="${status}" msg="x"`);
    expect(run(login('0100032001', 'login', 'success')).records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'gui' },
    ]);
    expect(run(login('0100032002', 'login', 'failed')).records[0]).toMatchObject({ action: 'login.failed' });
    expect(run(login('0100032003', 'logout', 'success')).records[0]).toMatchObject({ action: 'logout' });
  });

  it('ignores other configuration paths and traffic logs', () => {
    expect(run(cfg('GUI(192.0.2.44)', 'Edit', 'firewall.policy', '12', 'dstaddr[LAN->all]'))).toEqual({ records: [], unknown: [] });
    expect(run(fgt('logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=192.0.2.10 dstip=198.51.100.7 action="accept" user="bob"'))).toEqual({ records: [], unknown: [] });
  });

  it('treats hostile keys as plain keys', () => {
    const line = cfg('GUI(192.0.2.44)', 'Add', 'system.admin', '__proto__', 'accprofile[super_admin]').replace('tz="+0000"', 'tz="+0000" __proto__="x" constructor="y" hasOwnProperty="z"');
    const { records } = run(line);
    expect(records[0]).toMatchObject({ action: 'account.create', target: '__proto__', role: 'super_admin' });
  });

  it('is registered as the fortinet-fortios platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
