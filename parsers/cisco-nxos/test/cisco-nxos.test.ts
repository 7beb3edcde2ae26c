import { describe, expect, it } from 'vitest';
import { recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import { redactSecrets } from '../../lib/secrets.js';
import { cases, files } from './cases.js';
import { checkCorpus, recogniser } from '../../../test/parsers/harness.js';

const P = 'cisco-nxos';
const run = (line: string) => recogniser(recognise, P)(line);
const base = { platform: P, device: 'nx1' };
const T = '2026-11-21T22:10:01.000Z';

// The corpus's NX-OS lines (Sekoia's intake tests) are checked above; fixtures are also written for these tests in the formats of the
// Cisco Nexus 9000 Series NX-OS System Message Reference (AAA-6-AAA_ACCOUNTING_MESSAGE,
// VSHD-5-VSHD_SYSLOG_CONFIG_I, AUTHPRIV-*-SYSTEM_MSG, DAEMON-3-SYSTEM_MSG), as the rsyslog
// liblognorm Cisco rulebase and RSA NetWitness's Nexus parser document the accounting wording;
// names and addresses invented.
const nx = (tag: string, text: string) => `<190>2026 Nov 21 22:10:01 nx1 %${tag}: ${text}`;
const acct = (text: string) => nx('AAA-6-AAA_ACCOUNTING_MESSAGE', text);

describe('cisco-nxos corpus', () => {
  it('yields the expected records for every corpus line', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

describe('cisco-nxos accounting log', () => {
  it('yields a command and an account.set with the role for a global username command, redacted', () => {
    const { records } = run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username bob password 0 Cleartext1 role network-admin (SUCCESS)'));
    expect(records).toEqual([
      {
        ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli',
        command: 'configure terminal ; username bob password 0 <redacted> role network-admin',
      },
      {
        ...base, kind: 'account', action: 'account.set', time: T, target: 'bob', role: 'network-admin', actor: 'netadmin',
        actorAddress: '192.0.2.44', path: 'cli', technique: 'T1136.001', command: 'username bob password 0 <redacted> role network-admin',
      },
    ]);
  });

  it('reads a hashed password before the role, and an added role alone as T1098', () => {
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username ops password 5 $5$Kd1L$abc role network-operator (SUCCESS)')).records[1])
      .toMatchObject({ target: 'ops', role: 'network-operator', technique: 'T1136.001', command: 'username ops password 5 <redacted> role network-operator' });
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username ops role network-admin (SUCCESS)')).records[1])
      .toMatchObject({ action: 'account.set', role: 'network-admin', technique: 'T1098' });
  });

  it('deletes with `no username`, takes the role away with `no username x role …`', () => {
    expect(run(acct('update:192.0.2.44@pts/1:netadmin:configure terminal ; no username bob (SUCCESS)')).records[1])
      .toMatchObject({ action: 'account.delete', target: 'bob', technique: 'T1531' });
    expect(run(acct('update:192.0.2.44@pts/1:netadmin:configure terminal ; no username bob role network-admin (SUCCESS)')).records[1])
      .toEqual(expect.objectContaining({ action: 'privilege.revoke', target: 'bob', role: 'network-admin', actor: 'netadmin' }));
  });

  it('takes only commands that succeeded', () => {
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username bob role network-admin (REDIRECT))')).records).toEqual([]);
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; username bob role network-admin (FAILURE)')).records).toEqual([]);
  });

  it('sees no account in a username word below global configuration', () => {
    const { records } = run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; interface Ethernet1/1 ; description username bob (SUCCESS)'));
    expect(records.map((r) => r.kind)).toEqual(['command']);
  });

  it.each(['show running-config | include username', 'show users', 'show aaa accounting'])('yields only a command record for `%s`', (command) => {
    expect(run(acct(`update:192.0.2.44@pts/0:aaa:${command} (SUCCESS)`)).records.map((r) => r.kind)).toEqual(['command']);
  });

  it('yields session start and stop, and no path or address for an internal VSH source', () => {
    expect(run(acct('start:192.0.2.44@pts/0:netadmin:')).records).toEqual([
      { ...base, kind: 'session', action: 'session.start', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(run(acct('stop:192.0.2.44@pts/0:netadmin:shell terminated gracefully')).records[0]).toMatchObject({ action: 'session.stop' });
    const internal = run(acct('update:vsh.20734:netadmin:configure terminal ; username svc password 0 x role network-operator (SUCCESS)')).records;
    expect(internal[1]).toMatchObject({ target: 'svc', actor: 'netadmin' });
    expect(internal[1]).not.toHaveProperty('path');
    expect(internal[1]).not.toHaveProperty('actorAddress');
  });

  it('reads an IPv6 source', () => {
    expect(run(acct('start:2001:db8::44@pts/2:netadmin:')).records[0]).toMatchObject({ actorAddress: '2001:db8::44', path: 'cli' });
  });
});

describe('cisco-nxos sessions and configuration', () => {
  it('yields a command record for VSHD_SYSLOG_CONFIG_I with user and address', () => {
    expect(run(nx('VSHD-5-VSHD_SYSLOG_CONFIG_I', 'Configured from vty by netadmin on 192.0.2.44@pts/3')).records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', command: 'Configured from vty by netadmin on 192.0.2.44@pts/3' },
    ]);
  });

  it('yields login.failed and login from PAM lines', () => {
    expect(run(nx('AUTHPRIV-3-SYSTEM_MSG', 'pam_aaa:Authentication failed from 198.51.100.7 - dcos_sshd[8121]')).records).toEqual([
      { ...base, kind: 'session', action: 'login.failed', time: T, actorAddress: '198.51.100.7', path: 'cli' },
    ]);
    expect(run(nx('AUTHPRIV-6-SYSTEM_MSG', 'pam_unix(dcos_sshd:session): session opened for user netadmin by (uid=0) - dcos_sshd[8122]')).records).toEqual([
      { ...base, kind: 'session', action: 'login', time: T, actor: 'netadmin', path: 'cli' },
    ]);
    expect(run(nx('DAEMON-3-SYSTEM_MSG', 'error: PAM: Authentication failure for illegal user ***** from 198.51.100.7 - dcos_sshd[8123]')).records).toEqual([
      { ...base, kind: 'session', action: 'login.failed', time: T, actorAddress: '198.51.100.7', path: 'cli' },
    ]);
  });

  it('takes no account from the OS-level echo of a username command (the accounting record has the actor)', () => {
    expect(run(nx('AUTHPRIV-5-SYSTEM_MSG', 'New user added with username bob - vsh')).records).toEqual([]);
    expect(run(nx('AUTHPRIV-6-SYSTEM_MSG', "add 'bob' to group 'network-admin' - usermod[8124]")).records).toEqual([]);
  });

  it('reports unknown AAA_ and VSHD mnemonics, and leaves IOS AAA mnemonics alone', () => {
    expect(run(nx('AAA-2-AAA_PROGRAM_EXIT', 'aaa daemon exiting')).unknown).toEqual(['cisco-nxos:AAA-2-AAA_PROGRAM_EXIT']);
    expect(run(nx('VSHD-5-VSHD_SYSLOG_ROLE_CREATED', 'role x created')).unknown).toEqual(['cisco-nxos:VSHD-5-VSHD_SYSLOG_ROLE_CREATED']);
    expect(run(nx('AAA-3-BADSERVERTYPEERROR', 'x'))).toEqual({ records: [], unknown: [] });
    expect(run(nx('ETHPORT-5-IF_UP', 'Interface Ethernet1/1 is up in mode access'))).toEqual({ records: [], unknown: [] });
  });

  it('is registered as the cisco-nxos platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});

// RESTCONF agent records. No capture of a device's RESTCONF (or NX-API) accounting is public; what
// exists is Cisco's documented format: Cisco Nexus 9000 Series NX-OS Programmability Guide 10.5(x),
// chapter "Accounting Log for RESTCONF Agent",
// https://cisco.com/c/en/us/td/docs/dcn/nx-os/nexus9000/105x/programmability/cisco-nexus-9000-series-nx-os-programmability-guide-105x/chapter-2.html
// DOC_REQUEST and DOC_COMMIT are its two examples (`show accounting log` form), each joined onto one
// line where the page wraps it (`childAction=""` / `rn="intf"` with a space, `rn="lb-` / `[lo10]"`
// without); the URL is as printed there (`LbRtdIflist`, where the request was sent to `LbRtdIf-list`).
// Every other RESTCONF line below is written for these tests from that documented format; the user
// payloads follow the XML Cisco's own RESTCONF user-creation sample sends to
// `System/userext-items/user-items` (`<User-list><name>…</name><pwd>…</pwd>…<UserRole-list><name>…`).
// The syslog form of a RESTCONF entry (`%AAA-6-AAA_ACCOUNTING_MESSAGE: update:<id>:<user>:<cmd>`) is
// assumed from the CLI entries' syslog form, not seen.
const DOC_REQUEST =
  'Wed Jun 29 13:53:37 2022:type=update:id=3180018864:user=admin:cmd=(RESTCONF:POST),sourceIp=[192.168.1.2], url=[/restconf/data/Cisco-NX-OS-device:System/intf-items/lb-items/LbRtdIflist=lo10],payload=[<descr>test</descr>] (SUCCESS)';
const DOC_COMMIT =
  'Wed Jun 29 13:53:37 2022:type=update:id=3180018864:user=admin:cmd=(COMMIT),database=[running],configMo=[ <topSystem childAction="" dn="sys" status="created,modified"><interfaceEntity childAction="" rn="intf" status="created,modified"><l3LbRtdIf childAction="" descr="test" id="lo10" rn="lb-[lo10]" status="created,modified"/></interfaceEntity></topSystem>] (SUCCESS)';
const DOC_TIME = '2022-06-29T13:53:37.000Z';
/** The sender an imported `show accounting log` file is recorded against (`aaawatch import --source`). */
const SRC = '192.0.2.10';
const fromFile = (line: string) => recogniser(recognise, P)(line, SRC);
const USERS = '/restconf/data/Cisco-NX-OS-device:System/userext-items/user-items';
/** The same entry in both forms NX-OS writes the accounting log in. */
const logLine = (cmd: string) => `Wed Jun 29 13:53:37 2022:type=update:id=3180018864:user=admin:cmd=${cmd}`;
const sysLine = (cmd: string) => acct(`update:3180018864:admin:${cmd}`);
const SECRET = 'Jw7!hunter2-Pa55';

/** Nothing a line yields, nor the raw text kept of it, carries the secret. */
function noSecret(line: string, records: unknown[]): void {
  expect(JSON.stringify(records)).not.toContain(SECRET);
  expect(redactSecrets(line)).not.toContain(SECRET);
}

describe('cisco-nxos RESTCONF accounting (Cisco documented format)', () => {
  it('yields a rest command record for the documented request: user, sourceIp, method and URL, no payload', () => {
    const { records, unknown } = fromFile(DOC_REQUEST);
    expect(unknown).toEqual([]);
    expect(records).toEqual([
      {
        platform: P, device: SRC, kind: 'command', action: 'command', time: DOC_TIME, actor: 'admin', actorAddress: '192.168.1.2', path: 'rest',
        command: 'RESTCONF POST /restconf/data/Cisco-NX-OS-device:System/intf-items/lb-items/LbRtdIflist=lo10',
      },
    ]);
    expect(JSON.stringify(records)).not.toContain('descr');
  });

  it('yields nothing for the documented COMMIT entry: it repeats the request, with no source', () => {
    expect(fromFile(DOC_COMMIT)).toEqual({ records: [], unknown: [] });
    expect(run(acct('update:3180018864:admin:(COMMIT),database=[running],configMo=[<topSystem dn="sys"/>] (SUCCESS)'))).toEqual({ records: [], unknown: [] });
    expect(fromFile(logLine('(ABORT),database=[running],configMo=[] (SUCCESS)')).records).toEqual([]);
  });

  it('reads the syslog form of the documented request the same way, with the header time and host', () => {
    const cmd = 'update:3180018864:admin:(RESTCONF:POST),sourceIp=[192.168.1.2], url=[/restconf/data/Cisco-NX-OS-device:System/intf-items/lb-items/LbRtdIflist=lo10],payload=[<descr>test</descr>] (SUCCESS)';
    expect(run(acct(cmd)).records).toEqual([
      {
        ...base, kind: 'command', action: 'command', time: T, actor: 'admin', actorAddress: '192.168.1.2', path: 'rest',
        command: 'RESTCONF POST /restconf/data/Cisco-NX-OS-device:System/intf-items/lb-items/LbRtdIflist=lo10',
      },
    ]);
  });

  it.each([
    ['show accounting log form', logLine, SRC, DOC_TIME],
    ['syslog form', sysLine, 'nx1', T],
  ] as const)('yields account.set with path rest for a user created over RESTCONF (%s, written from the documented format)', (_, line, device, time) => {
    // As Cisco's RESTCONF user-creation sample sends it: PATCH on user-items, `<User-list>` at the top.
    const text = line(
      `(RESTCONF:PATCH),sourceIp=[198.51.100.20], url=[${USERS}],payload=[<User-list><name>juju</name><pwd>${SECRET}</pwd><pwdEncryptType>0</pwdEncryptType>` +
        '<userdomain-items><UserDomain-list><name>all</name><role-items><UserRole-list><name>network-admin</name></UserRole-list></role-items></UserDomain-list></userdomain-items></User-list>] (SUCCESS)',
    );
    const { records, unknown } = fromFile(text);
    expect(unknown).toEqual([]);
    const command = `RESTCONF PATCH ${USERS}`;
    const who = { platform: P, device, time, actor: 'admin', actorAddress: '198.51.100.20', path: 'rest' };
    expect(records).toEqual([
      { ...who, kind: 'command', action: 'command', command },
      { ...who, kind: 'account', action: 'account.set', target: 'juju', role: 'network-admin', technique: 'T1136.001', command },
    ]);
    noSecret(text, records);
  });

  it('reads a JSON payload on a named user entry, and never keeps its "pwd"', () => {
    const text = logLine(
      `(RESTCONF:PUT),sourceIp=[2001:db8::20], url=[${USERS}/User-list=bob],payload=[{"User-list":[{"name":"bob","pwd":"${SECRET}","pwdEncryptType":"0",` +
        '"userdomain-items":{"UserDomain-list":[{"name":"all","role-items":{"UserRole-list":[{"name":"network-operator"}]}}]}}]}] (SUCCESS)',
    );
    const { records } = fromFile(text);
    expect(records.map((r) => r.kind)).toEqual(['command', 'account']);
    expect(records[1]).toMatchObject({
      action: 'account.set', target: 'bob', role: 'network-operator', technique: 'T1136.001', path: 'rest', actor: 'admin', actorAddress: '2001:db8::20',
      command: `RESTCONF PUT ${USERS}/User-list=bob`,
    });
    noSecret(text, records);
  });

  it('reads a role granted alone as T1098, and several users in one payload', () => {
    const role = fromFile(logLine(`(RESTCONF:POST),sourceIp=[198.51.100.20], url=[${USERS}/User-list=ops/userdomain-items/UserDomain-list=all/role-items],payload=[<UserRole-list><name>network-admin</name></UserRole-list>] (SUCCESS)`)).records;
    expect(role[1]).toMatchObject({ action: 'account.set', target: 'ops', role: 'network-admin', technique: 'T1098', path: 'rest' });
    const two = fromFile(logLine(
      '(RESTCONF:PATCH),sourceIp=[198.51.100.20], url=[/restconf/data/Cisco-NX-OS-device:System/userext-items],payload=[<userext-items><user-items>' +
        `<User-list><name>a1</name><pwd>${SECRET}</pwd></User-list><User-list><name>a2</name><userdomain-items><UserDomain-list><name>all</name><role-items>` +
        '<UserRole-list><name>network-operator</name></UserRole-list></role-items></UserDomain-list></userdomain-items></User-list></user-items></userext-items>] (SUCCESS)',
    )).records;
    expect(two.slice(1)).toMatchObject([
      { action: 'account.set', target: 'a1', technique: 'T1136.001' },
      { action: 'account.set', target: 'a2', role: 'network-operator', technique: 'T1098' },
    ]);
    expect(two[1]).not.toHaveProperty('role');
  });

  it('deletes with DELETE on the user entry, takes a role away with DELETE of its entry below it', () => {
    const gone = run(sysLine(`(RESTCONF:DELETE),sourceIp=[198.51.100.20], url=[${USERS}/User-list=bob],payload=[] (SUCCESS)`)).records;
    expect(gone).toMatchObject([
      { kind: 'command', path: 'rest', command: `RESTCONF DELETE ${USERS}/User-list=bob` },
      { kind: 'account', action: 'account.delete', target: 'bob', technique: 'T1531', path: 'rest', actorAddress: '198.51.100.20' },
    ]);
    const role = run(sysLine(`(RESTCONF:DELETE),sourceIp=[198.51.100.20], url=[${USERS}/User-list=bob/userdomain-items/UserDomain-list=all/role-items/UserRole-list=network-admin],payload=[] (SUCCESS)`)).records;
    expect(role[1]).toMatchObject({ action: 'privilege.revoke', target: 'bob', role: 'network-admin', path: 'rest', actorAddress: '198.51.100.20' });
  });

  it('sees no account in a request outside the local users, even one naming a user', () => {
    const { records } = fromFile(logLine(
      `(RESTCONF:POST),sourceIp=[198.51.100.20], url=[/restconf/data/Cisco-NX-OS-device:System/snmp-items/inst-items/lclUser-items],payload=[<LocalUser-list><userName>bob</userName><authpwd>${SECRET}</authpwd></LocalUser-list>] (SUCCESS)`,
    ));
    expect(records.map((r) => r.kind)).toEqual(['command']);
    noSecret(logLine(`(RESTCONF:POST),sourceIp=[198.51.100.20], url=[/x],payload=[<authpwd>${SECRET}</authpwd>] (SUCCESS)`), records);
  });

  it('keeps a password in the COMMIT object tree out of the raw text too', () => {
    const text = logLine(`(COMMIT),database=[running],configMo=[<topSystem dn="sys"><aaaUserEp rn="userext"><aaaUser name="juju" pwd="${SECRET}" pwdEncryptType="clear" status="created"/></aaaUserEp></topSystem>] (SUCCESS)`);
    const { records } = fromFile(text);
    expect(records).toEqual([]);
    noSecret(text, records);
    expect(redactSecrets(text)).toContain('pwdEncryptType="clear"');
  });

  it('takes only requests that succeeded', () => {
    expect(fromFile(logLine(`(RESTCONF:PATCH),sourceIp=[198.51.100.20], url=[${USERS}],payload=[<User-list><name>x</name></User-list>] (FAILED)`)).records).toEqual([]);
    expect(run(sysLine(`(RESTCONF:DELETE),sourceIp=[198.51.100.20], url=[${USERS}/User-list=bob],payload=[] (FAILURE)`)).records).toEqual([]);
  });

  it('keeps only the method of a request whose fields are not in the documented order', () => {
    expect(run(sysLine(`(RESTCONF:PUT),payload=[<pwd>${SECRET}</pwd>],url=[${USERS}/User-list=bob] (SUCCESS)`)).records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'admin', path: 'rest', command: 'RESTCONF PUT' },
    ]);
  });

  // 3.4 MB of repeated field openers: read linearly it takes milliseconds; a scan that restarted at
  // each of the 200,000 openers would need some 10^11 steps and could not end within the test's
  // timeout, so the timeout is the bound, with a margin no machine's load comes near.
  it('reads a hostile payload in linear time', () => {
    const payload = `<User-list>${'],payload=[<name>'.repeat(200_000)}x`;
    const { records } = run(sysLine(`(RESTCONF:PATCH),sourceIp=[198.51.100.20], url=[${USERS}],payload=[${payload}] (SUCCESS)`));
    expect(records[0]).toMatchObject({ kind: 'command', path: 'rest', command: `RESTCONF PATCH ${USERS}` });
  });
});

describe('cisco-nxos accounting log as `show accounting log` prints it', () => {
  it('gives a CLI entry path cli (ansible-collections/cisco.nxos issue 94)', () => {
    // Real line from https://github.com/ansible-collections/cisco.nxos/issues/94.
    const { records, unknown } = fromFile('Wed Nov  6 18:22:02 2019:type=update:id=172.30.57.214@pts/3:user=prram14:cmd=configure terminal ; vlan 750 (SUCCESS)');
    expect(unknown).toEqual([]);
    expect(records).toEqual([
      { platform: P, device: SRC, kind: 'command', action: 'command', time: '2019-11-06T18:22:02.000Z', actor: 'prram14', actorAddress: '172.30.57.214', path: 'cli', command: 'configure terminal ; vlan 750' },
    ]);
  });

  it('reads a username command from a CLI entry as the syslog form does, path cli, redacted', () => {
    const text = `Wed Nov  6 18:22:02 2019:type=update:id=192.0.2.44@pts/0:user=netadmin:cmd=configure terminal ; username bob password 0 ${SECRET} role network-admin (SUCCESS)`;
    const { records } = fromFile(text);
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'bob', role: 'network-admin', path: 'cli', actorAddress: '192.0.2.44', command: 'username bob password 0 <redacted> role network-admin' });
    noSecret(text, records);
  });

  it('reads an IPv6 source and session start', () => {
    expect(fromFile('Wed Nov  6 18:22:02 2019:type=start:id=2001:db8::44@pts/2:user=netadmin:cmd=').records).toEqual([
      { platform: P, device: SRC, kind: 'session', action: 'session.start', time: '2019-11-06T18:22:02.000Z', actor: 'netadmin', actorAddress: '2001:db8::44', path: 'cli' },
    ]);
  });

  it('reads the stamp in the device zone', () => {
    const zoned = recogniser(recognise, P, { zoneFor: () => 'Europe/Berlin' });
    expect(zoned(DOC_REQUEST, SRC).records[0]).toMatchObject({ time: '2022-06-29T11:53:37.000Z', path: 'rest' });
  });

  it('reports a line in the log\'s shape that it cannot read, and ignores other untagged lines', () => {
    expect(fromFile('Wed Jun 29 13:53:37 2022:type=bogus:x')).toEqual({ records: [], unknown: ['cisco-nxos:accounting-log'] });
    expect(fromFile('Wed Jun 29 13:53:37 2022 something else entirely')).toEqual({ records: [], unknown: [] });
  });
});

describe('cisco-nxos CLI entries stay cli', () => {
  it('keeps path cli for a terminal session in the syslog form', () => {
    expect(run(acct('update:192.0.2.44@pts/0:netadmin:configure terminal ; vlan 750 (SUCCESS)')).records).toEqual([
      { ...base, kind: 'command', action: 'command', time: T, actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', command: 'configure terminal ; vlan 750' },
    ]);
  });

  it('does not call an SSH exec session rest (elastic/integrations cisco_nexus test-nexus.log)', () => {
    // Real body from elastic/integrations packages/cisco_nexus test-nexus.log: an `ssh.<pid>` session is the CLI over SSH.
    const [r] = run(acct('update:10.63.12.105@ssh.26046:SRVC_A00A12_0006_PRD:show ip route vrf all (SUCCESS)')).records;
    expect(r).toMatchObject({ kind: 'command', actor: 'SRVC_A00A12_0006_PRD', actorAddress: '10.63.12.105', command: 'show ip route vrf all', path: 'cli' });
  });
});
