import { describe, expect, it } from 'vitest';
import { recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import { cases, files } from './cases.js';
import { checkCorpus, recogniser } from '../../../test/parsers/harness.js';

const P = 'juniper-junos';
const run = (line: string) => recogniser(recognise, P)(line);
const T = '2026-11-21T22:10:01.000Z';
const base = { platform: P, device: 'mx1', time: T };

// Fixtures written for these tests in the formats of the Junos System Log Explorer
// (UI_CMDLINE_READ_LINE, UI_CFG_AUDIT_SET/OTHER, UI_COMMIT, UI_LOGIN_EVENT, UI_LOGOUT_EVENT,
// UI_NETCONF_CMD, SSHD_LOGIN_FAILED) in both BSD and structured-data (`junos@2636…`) form, with
// parameter names as real vSRX/MX captures show them; names and addresses invented.
const bsd = (pid: number, tag: string, text: string) => `<189>Nov 21 22:10:01 mx1 mgd[${pid}]: ${tag}: ${text}`;
const sd5424 = (pid: number, tag: string, params: string, text: string) =>
  `<189>1 2026-11-21T22:10:01.000Z mx1 mgd ${pid} ${tag} [junos@2636.1.1.1.2.29 ${params}] ${text}`;
const cli = (user: string, command: string, pid = 4242) => bsd(pid, 'UI_CMDLINE_READ_LINE', `User '${user}', command '${command} '`);

describe('juniper-junos corpus', () => {
  it('yields the expected records for every corpus line', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

describe('juniper-junos command history (UI_CMDLINE_READ_LINE)', () => {
  it('yields a command and an account.set from structured data, plain-text password redacted', () => {
    const command = 'set system login user bob class super-user authentication plain-text-password-value Secret1';
    const { records } = run(sd5424(4242, 'UI_CMDLINE_READ_LINE', `username="netadmin" command="${command}"`, `User 'netadmin', command '${command}'`));
    const redacted = 'set system login user bob class super-user authentication plain-text-password-value <redacted>';
    expect(records).toEqual([
      { ...base, kind: 'command', action: 'command', actor: 'netadmin', path: 'cli', command: redacted },
      { ...base, kind: 'account', action: 'account.set', target: 'bob', role: 'super-user', actor: 'netadmin', path: 'cli', technique: 'T1136.001', command: redacted },
    ]);
    expect(JSON.stringify(records)).not.toContain('Secret1');
  });

  it('redacts an encrypted-password hash in the BSD form', () => {
    const { records } = run(cli('netadmin', 'set system login user bob authentication encrypted-password "$6$rounds$QeT0vNq1"'));
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'bob', command: 'set system login user bob authentication encrypted-password "<redacted>"' });
    expect(JSON.stringify(records)).not.toContain('QeT0vNq1');
  });

  it('follows the edit level of each CLI session', () => {
    const device = recogniser(recognise, P);
    device(cli('netadmin', 'configure'));
    device(cli('netadmin', 'edit system login'));
    expect(device(cli('netadmin', 'set user carol class operator')).records[1]).toMatchObject({ action: 'account.set', target: 'carol', role: 'operator', technique: 'T1098' });
    // Another session on the same device is at its own level.
    expect(device(cli('other', 'set user mallory class super-user', 5151)).records.map((r) => r.kind)).toEqual(['command']);
    device(cli('netadmin', 'edit user dave'));
    expect(device(cli('netadmin', 'set class read-only')).records[1]).toMatchObject({ target: 'dave', role: 'read-only' });
    device(cli('netadmin', 'up 2'));
    expect(device(cli('netadmin', 'delete user dave')).records[1]).toMatchObject({ action: 'account.delete', target: 'dave', technique: 'T1531' });
    device(cli('netadmin', 'top'));
    expect(device(cli('netadmin', 'set user erin class super-user')).records.map((r) => r.kind)).toEqual(['command']);
    expect(device(cli('netadmin', 'top delete system login user erin')).records[1]).toMatchObject({ action: 'account.delete', target: 'erin' });
  });

  it('reads deletes, deactivations and root authentication', () => {
    expect(run(cli('netadmin', 'delete system login user bob')).records[1]).toMatchObject({ action: 'account.delete', target: 'bob' });
    expect(run(cli('netadmin', 'delete system login user bob authentication')).records[1]).toMatchObject({ action: 'account.modify', target: 'bob' });
    expect(run(cli('netadmin', 'deactivate system login user bob')).records[1]).toMatchObject({ action: 'account.modify', target: 'bob' });
    expect(run(cli('netadmin', 'set system root-authentication plain-text-password-value Secret1')).records[1])
      .toMatchObject({ action: 'password.change', target: 'root', command: 'set system root-authentication plain-text-password-value <redacted>' });
  });

  it('labels a NETCONF load logged as a command line with the netconf path', () => {
    const { records } = run(cli('automation', 'load-configuration rpc rpc load-configuration set system login user svc class read-only'));
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'svc', role: 'read-only', path: 'netconf', actor: 'automation' });
  });

  it.each([
    ['show system login'],
    ['show configuration system login | display set | match username'],
    ['show system users'],
    ['set cli screen-length 0'],
    ['set system host-name username-router'],
  ])('yields only a command record for `%s`', (command) => {
    expect(run(cli('aaa', command)).records.map((r) => r.kind)).toEqual(['command']);
  });
});

describe('juniper-junos configuration audit (UI_CFG_AUDIT_*)', () => {
  it('yields an account record from the structured form when no command line reported it', () => {
    const { records } = run(sd5424(6120, 'UI_CFG_AUDIT_SET', 'username="automation" action="set" pathname="[system login user svc class\\]" delimiter="\\"" data="super-user" value="super-user"',
      `User 'automation' set: [system login user svc class] unconfigured -- "super-user"`));
    expect(records).toEqual([{ ...base, kind: 'account', action: 'account.set', target: 'svc', role: 'super-user', actor: 'automation', technique: 'T1098' }]);
  });

  it('reads the BSD form, including deletes', () => {
    expect(run(bsd(4242, 'UI_CFG_AUDIT_SET', `User 'netadmin' set: [system login user erin class] unconfigured -- "super-user"`)).records[0])
      .toMatchObject({ action: 'account.set', target: 'erin', role: 'super-user' });
    expect(run(bsd(4242, 'UI_CFG_AUDIT_OTHER', `User 'netadmin' delete: [system login user erin]`)).records[0])
      .toMatchObject({ action: 'account.delete', target: 'erin', actor: 'netadmin' });
  });

  it('counts one change once when both the command line and the audit line report it', () => {
    const device = recogniser(recognise, P);
    const first = device(cli('netadmin', 'set system login user bob class super-user'));
    expect(first.records.map((r) => r.kind)).toEqual(['command', 'account']);
    expect(device(bsd(4242, 'UI_CFG_AUDIT_SET', `User 'netadmin' set: [system login user bob class] unconfigured -- "super-user"`)).records).toEqual([]);
    // A NETCONF load logs the audit line first: the command line then adds no second account record.
    const audit = device(bsd(7000, 'UI_CFG_AUDIT_OTHER', `User 'automation' delete: [system login user old]`));
    expect(audit.records.map((r) => r.action)).toEqual(['account.delete']);
    expect(device(cli('automation', 'load-configuration rpc rpc load-configuration delete system login user old', 7000)).records.map((r) => r.kind)).toEqual(['command']);
  });

  it('ignores audit lines about other configuration', () => {
    expect(run(bsd(4242, 'UI_CFG_AUDIT_SET', `User 'netadmin' set: [interfaces ge-0/0/1 disable] unconfigured -- "disable"`))).toEqual({ records: [], unknown: [] });
  });
});

describe('juniper-junos login classes of the device\'s own', () => {
  // `set system login class NAME permissions all` is the grant of the built-in super-user class under
  // another name (parsers/juniper-junos/classes.ts); its holders are recorded `NAME (permissions all)`.
  const account = (r: { records: ReadonlyArray<{ kind: string }> }) => r.records.filter((x) => x.kind === 'account');

  it('resolves a user\'s class defined earlier with `permissions all`; a class with some permissions stays as it is', () => {
    const device = recogniser(recognise, P);
    expect(device(cli('netadmin', 'set system login class ops permissions all')).records.map((r) => r.kind)).toEqual(['command']);
    expect(device(cli('netadmin', 'set system login class noc permissions [ configure view ]')).records.map((r) => r.kind)).toEqual(['command']);
    expect(account(device(cli('netadmin', 'set system login user bob class ops')))).toEqual([
      { ...base, kind: 'account', action: 'account.set', target: 'bob', role: 'ops (permissions all)', actor: 'netadmin', path: 'cli', technique: 'T1098', command: 'set system login user bob class ops' },
    ]);
    expect(account(device(cli('netadmin', 'set system login user carol class noc')))[0]).toMatchObject({ target: 'carol', role: 'noc' });
    // At its edit level too.
    device(cli('netadmin', 'edit system login class ops2'));
    device(cli('netadmin', 'set permissions all'));
    device(cli('netadmin', 'top'));
    expect(account(device(cli('netadmin', 'set system login user dave class ops2')))[0]).toMatchObject({ target: 'dave', role: 'ops2 (permissions all)' });
    // Another device's class of the same name is its own.
    expect(run(cli('netadmin', 'set system login user bob class ops').replace(' mx1 ', ' mx2 ')).records[1]).toMatchObject({ device: 'mx2', role: 'ops' });
  });

  it('records the class\'s grant as its holders\' privilege change when the class is defined after them, and when it is taken away', () => {
    const device = recogniser(recognise, P);
    expect(account(device(cli('netadmin', 'set system login user bob class ops')))[0]).toMatchObject({ target: 'bob', role: 'ops' });
    expect(account(device(cli('mallory', 'set system login class ops permissions all')))).toEqual([
      { ...base, kind: 'account', action: 'privilege.change', target: 'bob', role: 'ops (permissions all)', actor: 'mallory', path: 'cli', technique: 'T1098', command: 'set system login class ops permissions all' },
    ]);
    // The audit line of the same change changes nothing more.
    expect(device(bsd(4242, 'UI_CFG_AUDIT_SET', `User 'mallory' set: [system login class ops permissions] unconfigured -- "all"`)).records).toEqual([]);
    expect(account(device(cli('mallory', 'delete system login class ops permissions all')))).toMatchObject([{ action: 'privilege.change', target: 'bob', role: 'ops' }]);
    // A deleted account holds no class.
    device(cli('netadmin', 'delete system login user bob'));
    expect(account(device(cli('mallory', 'set system login class ops permissions all')))).toEqual([]);
  });

  it('a class with `admin-control` resolves as `permissions all` does: before or after its holders, and when the flag goes', () => {
    // `admin-control` as Juniper's permission-bit table names it; the lines are the UI_CMDLINE_READ_LINE form above.
    const device = recogniser(recognise, P);
    expect(account(device(cli('netadmin', 'set system login user bob class helpdesk')))[0]).toMatchObject({ target: 'bob', role: 'helpdesk' });
    expect(account(device(cli('mallory', 'set system login class helpdesk permissions [ admin-control view ]')))).toMatchObject([
      { action: 'privilege.change', target: 'bob', role: 'helpdesk (permissions admin-control)', actor: 'mallory' },
    ]);
    expect(account(device(cli('netadmin', 'set system login user carol class helpdesk')))[0]).toMatchObject({ target: 'carol', role: 'helpdesk (permissions admin-control)' });
    // `all` added is the stronger grant; taken away again, admin-control still holds.
    expect(account(device(cli('mallory', 'set system login class helpdesk permissions all'))).map((r) => (r as { role?: string }).role)).toEqual(['helpdesk (permissions all)', 'helpdesk (permissions all)']);
    expect(account(device(cli('mallory', 'delete system login class helpdesk permissions all'))).map((r) => (r as { role?: string }).role)).toEqual(['helpdesk (permissions admin-control)', 'helpdesk (permissions admin-control)']);
    // A flag that grants neither changes nothing; deleting admin-control leaves the bare class.
    expect(account(device(cli('mallory', 'set system login class helpdesk permissions configure')))).toEqual([]);
    expect(account(device(cli('mallory', 'delete system login class helpdesk permissions admin-control'))).map((r) => (r as { role?: string }).role)).toEqual(['helpdesk', 'helpdesk']);
  });

  it('reads the class and the user from the structured audit lines, in either order', () => {
    const device = recogniser(recognise, P);
    const audit = (params: string, text: string) => device(sd5424(6120, 'UI_CFG_AUDIT_SET', params, text));
    expect(audit('username="automation" action="set" pathname="[system login user svc class\\]" delimiter="\\"" data="ops" value="ops"',
      `User 'automation' set: [system login user svc class] unconfigured -- "ops"`).records[0]).toMatchObject({ action: 'account.set', target: 'svc', role: 'ops' });
    expect(audit('username="automation" action="set" pathname="[system login class ops permissions\\]" delimiter="\\"" data="all" value="all"',
      `User 'automation' set: [system login class ops permissions] unconfigured -- "all"`).records).toEqual([
      { ...base, kind: 'account', action: 'privilege.change', target: 'svc', role: 'ops (permissions all)', actor: 'automation', technique: 'T1098' },
    ]);
    expect(audit('username="automation" action="set" pathname="[system login user svc2 class\\]" delimiter="\\"" data="ops" value="ops"',
      `User 'automation' set: [system login user svc2 class] unconfigured -- "ops"`).records[0]).toMatchObject({ target: 'svc2', role: 'ops (permissions all)' });
  });
});

describe('juniper-junos sessions, commits and NETCONF', () => {
  it('yields a login with client address and path', () => {
    expect(run(bsd(4312, 'UI_LOGIN_EVENT', "User 'netadmin' login, class 'j-super-user' [4312], ssh-connection '192.0.2.44 51234 192.0.2.1 22', client-mode 'cli'")).records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(run(sd5424(4313, 'UI_LOGIN_EVENT', 'username="automation" class-name="j-super-user" local-peer="" pid="4313" ssh-connection="192.0.2.60 40000 192.0.2.1 830" client-mode="netconf"', "User 'automation' login, class 'j-super-user' [4313], ssh-connection '192.0.2.60 40000 192.0.2.1 830', client-mode 'netconf'")).records[0])
      .toMatchObject({ action: 'login', actor: 'automation', actorAddress: '192.0.2.60', path: 'netconf' });
  });

  it('yields logouts, an idle timeout as a logout, and failed SSH logins', () => {
    expect(run(bsd(4312, 'UI_LOGOUT_EVENT', "User 'netadmin' logout")).records).toEqual([{ ...base, kind: 'session', action: 'logout', actor: 'netadmin' }]);
    expect(run(`<189>Nov 21 22:10:01 mx1 cli: UI_CLI_IDLE_TIMEOUT: Idle timeout for user 'netadmin' exceeded and session terminated`).records[0]).toMatchObject({ action: 'logout', actor: 'netadmin' });
    expect(run("<37>1 2026-11-21T22:10:01.000Z mx1 sshd - SSHD_LOGIN_FAILED [junos@2636.1.1.1.2.129 username=\"mallory\" source-address=\"198.51.100.7\"] Login failed for user 'mallory' from host '198.51.100.7'").records)
      .toEqual([{ ...base, kind: 'session', action: 'login.failed', actor: 'mallory', actorAddress: '198.51.100.7', path: 'cli' }]);
  });

  it('yields command records for commits (also with explicit priority) and NETCONF requests', () => {
    expect(run(sd5424(6120, 'UI_COMMIT', 'username="automation" command="commit" message="none"', "User 'automation' requested 'commit' operation (comment: none)")).records)
      .toEqual([{ ...base, kind: 'command', action: 'command', actor: 'automation', command: 'commit' }]);
    expect(run(bsd(6121, '%INTERACT-6-UI_COMMIT', "User 'changeops' requested 'commit confirmed' operation (comment: none)")).records[0]).toMatchObject({ actor: 'changeops', command: 'commit confirmed' });
    expect(run(bsd(4411, 'UI_NETCONF_CMD', `User 'automation' used NETCONF client to run command 'load-configuration action="set" format="text"'`)).records)
      .toEqual([{ ...base, kind: 'command', action: 'command', actor: 'automation', path: 'netconf', command: 'load-configuration action="set" format="text"' }]);
  });

  it('yields nothing for UI_AUTH_EVENT and progress tags, and reports an unknown UI_ tag', () => {
    expect(run(bsd(4312, 'UI_AUTH_EVENT', "Authenticated user 'netadmin' assigned to class 'j-super-user'"))).toEqual({ records: [], unknown: [] });
    expect(run(bsd(4312, 'UI_COMMIT_PROGRESS', 'Commit operation in progress: Obtaining lock for commit'))).toEqual({ records: [], unknown: [] });
    expect(run(bsd(4312, 'UI_SOMETHING_NEW', 'x'))).toEqual({ records: [], unknown: ['juniper-junos:UI_SOMETHING_NEW'] });
  });

  it('leaves other programs alone', () => {
    expect(run('<14>1 2026-11-21T22:10:01.000Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 source-address="192.0.2.1"] session created')).toEqual({ records: [], unknown: [] });
    expect(run('<30>Nov 21 22:10:01 mx1 rpd[1510]: BGP_IO_ERROR_CLOSE_SESSION: BGP peer 192.0.2.2 closed')).toEqual({ records: [], unknown: [] });
  });

  it('is registered as the juniper-junos platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
