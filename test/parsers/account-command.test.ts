// The one interpreter of account commands (parsers/lib/account-command.ts) that the IOS, NX-OS,
// EOS, Junos, ISE and tac_plus recognisers share: what each CLI makes of the same words, and what
// a TACACS+ relay (which does not say the CLI) makes of them. Commands in the syntax of
// docs/notes/config-pull.md §4; names invented.

import { describe, expect, it } from 'vitest';
import { accountChange, accountedCommand, junosPathChange, junosWords, tacacsCommand, type Cli } from '../../parsers/lib/account-command.js';

describe('account commands, Cisco-style CLIs', () => {
  it.each([
    ['username bob privilege 15 secret 9 $9$abc', { action: 'account.set', target: 'bob', privilege: '15', technique: 'T1136.001' }],
    ['username bob role network-admin', { action: 'account.set', target: 'bob', role: 'network-admin', technique: 'T1098' }],
    ['username bob password 5 $1$x role network-operator', { action: 'account.set', target: 'bob', role: 'network-operator', technique: 'T1136.001' }],
    ['enable secret 9 $9$abc', { action: 'password.change', target: 'enable', technique: 'T1098' }],
  ])('%s', (command, want) => {
    for (const cli of ['ios', 'nxos', 'eos', 'relayed'] as Cli[]) expect(accountChange(command, cli), cli).toEqual(want);
  });

  it('reads `no username bob <attribute>` per CLI: IOS deletes, NX-OS/EOS and relays modify', () => {
    expect(accountChange('no username bob ssh-key', 'ios')).toEqual({ action: 'account.delete', target: 'bob', technique: 'T1531' });
    for (const cli of ['nxos', 'eos', 'relayed'] as Cli[]) {
      expect(accountChange('no username bob ssh-key', cli), cli).toEqual({ action: 'account.modify', target: 'bob', technique: 'T1098' });
      expect(accountChange('no username bob', cli), cli).toEqual({ action: 'account.delete', target: 'bob', technique: 'T1531' });
    }
  });

  it('reads a role or privilege taken from an account that stays (NX-OS, EOS, relays) as privilege.revoke; IOS still deletes', () => {
    expect(accountChange('no username bob role network-admin', 'ios')).toEqual({ action: 'account.delete', target: 'bob', technique: 'T1531' });
    for (const cli of ['nxos', 'eos', 'relayed'] as Cli[]) {
      expect(accountChange('no username bob role Network-Admin', cli), cli).toEqual({ action: 'privilege.revoke', target: 'bob', role: 'Network-Admin' });
      expect(accountChange('no username bob privilege 15', cli), cli).toEqual({ action: 'privilege.revoke', target: 'bob', privilege: '15' });
      expect(accountChange('no username bob role', cli), cli).toEqual({ action: 'privilege.revoke', target: 'bob' });
    }
    expect(junosPathChange('delete', junosWords('system login user eve class super-user'))).toEqual({ action: 'privilege.revoke', target: 'eve', role: 'super-user' });
    expect(junosPathChange('delete', ['system', 'login', 'user', 'eve', 'class'], 'read-only')).toEqual({ action: 'privilege.revoke', target: 'eve', role: 'read-only' });
  });

  it("reads EOS's root login (`aaa root secret|nopassword`, `no aaa root`) as the root account's, as the EOS configuration reader does", () => {
    for (const cli of ['eos', 'relayed'] as Cli[]) {
      expect(accountChange('aaa root secret sha512 $6$abc$def', cli), cli).toEqual({ action: 'account.set', target: 'root', privilege: '15', technique: 'T1136.001' });
      expect(accountChange('aaa root nopassword', cli), cli).toEqual({ action: 'account.set', target: 'root', privilege: '15', technique: 'T1136.001' });
      expect(accountChange('no aaa root', cli), cli).toEqual({ action: 'account.delete', target: 'root', technique: 'T1531' });
      // Other `aaa` commands, and root's other settings, change no account.
      for (const other of ['aaa root', 'aaa rootless secret x', 'aaa authentication login default group tacacs+ local', 'aaa authorization exec default local']) expect(accountChange(other, cli), other).toBeUndefined();
    }
  });

  it('reads the deciding words in any case, after any whitespace JavaScript counts (tabs, no-break spaces)', () => {
    for (const command of ['  USERNAME bob secret 0 x', '\tNo\u00a0UserName\tbob', '\u2003username\u3000bob privilege 15', 'ENABLE\tSecret 0 x']) {
      expect(accountChange(command, 'nxos'), JSON.stringify(command)).toBeDefined();
    }
    for (const command of ['usernamebob secret 0 x', 'nousername bob', 'no', 'enablesecret x', 'n0 username bob']) {
      expect(accountChange(command, 'nxos'), JSON.stringify(command)).toBeUndefined();
    }
  });

  it.each(['show running-config | include username', 'show users', 'hostname username-lab', 'show aaa', 'username', 'enable'])(
    'changes nothing: %s',
    (command) => {
      for (const cli of ['ios', 'nxos', 'eos', 'relayed'] as Cli[]) expect(accountChange(command, cli), cli).toBeUndefined();
    },
  );
});

describe('account commands, Junos', () => {
  it('reads an absolute path, with the statement value given apart (UI_CFG_AUDIT_SET)', () => {
    expect(junosPathChange('set', junosWords('system login user eve class super-user'))).toEqual({ action: 'account.set', target: 'eve', role: 'super-user', technique: 'T1098' });
    expect(junosPathChange('set', ['system', 'login', 'user', 'eve', 'class'], 'read-only')).toMatchObject({ role: 'read-only' });
    expect(junosPathChange('set', junosWords('system login user eve authentication encrypted-password "$6$x"'))).toEqual({ action: 'account.set', target: 'eve', technique: 'T1136.001' });
    expect(junosPathChange('delete', junosWords('system login user eve'))).toEqual({ action: 'account.delete', target: 'eve', technique: 'T1531' });
    expect(junosPathChange('deactivate', junosWords('system login user eve'))).toEqual({ action: 'account.modify', target: 'eve', technique: 'T1098' });
    expect(junosPathChange('set', junosWords('system root-authentication encrypted-password "$6$x"'))).toEqual({ action: 'password.change', target: 'root', technique: 'T1098' });
    expect(junosPathChange('set', junosWords('system services ssh'))).toBeUndefined();
  });

  it('reads absolute set/delete commands relayed by a TACACS+ server, and not on the Cisco CLIs', () => {
    expect(accountChange('set system login user "eve smith" class super-user', 'relayed')).toEqual({ action: 'account.set', target: 'eve smith', role: 'super-user', technique: 'T1098' });
    expect(accountChange('delete system login user eve', 'relayed')).toEqual({ action: 'account.delete', target: 'eve', technique: 'T1531' });
    expect(accountChange('set system login user eve class super-user', 'ios')).toBeUndefined();
    expect(accountChange('set system processes general-authentication-service traceoptions', 'relayed')).toBeUndefined();
  });
});

describe('accounted commands', () => {
  it('drops the `<cr>` IOS puts after TACACS+ command arguments and redacts secrets', () => {
    expect(accountedCommand('  username bob secret 0 Cleartext1 <cr>')).toBe('username bob secret 0 <redacted>');
    expect(accountedCommand('show version')).toBe('show version');
  });
});

describe('commands as TACACS+ accounting carries them', () => {
  it('Junos: `login` is a session only on a START, `logout` only on a STOP; nothing else is recorded off a STOP', () => {
    expect(tacacsCommand('login', 'start', 'relayed')).toEqual({ kind: 'session', action: 'session.start' });
    expect(tacacsCommand('logout', 'stop', 'relayed')).toEqual({ kind: 'session', action: 'session.stop' });
    expect(tacacsCommand('login', 'stop', 'relayed')).toBeUndefined();
    expect(tacacsCommand('logout', 'update', 'relayed')).toBeUndefined();
    expect(tacacsCommand('username bob secret 0 X <cr>', 'start', 'ios')).toBeUndefined();
    expect(tacacsCommand('username bob secret 0 X <cr>', 'update', 'ios')).toBeUndefined();
    // Typed and accounted at level 1 on IOS, `logout <cr>` is a command like any other.
    expect(tacacsCommand('logout <cr>', 'stop', 'ios')).toEqual({ kind: 'command', command: 'logout', change: undefined, changed: 'logout' });
  });

  it("Junos's change log: the path's account change, whatever the device's CLI is said to be", () => {
    expect(tacacsCommand('set: [system login user admin authentication encrypted-password]', 'stop', 'ios')).toMatchObject({
      command: 'set: [system login user admin authentication encrypted-password]', change: { action: 'account.set', target: 'admin' },
    });
    expect(tacacsCommand('delete: [system login user bob] ', 'stop', 'relayed')).toMatchObject({ change: { action: 'account.delete', target: 'bob' } });
    expect(tacacsCommand('rollback: /config/juniper.conf ', 'stop', 'relayed')).toMatchObject({ change: undefined });
  });

  it('NX-OS: the outcome is not part of the command, only `(SUCCESS)` is recorded, the last command read under `configure` alone', () => {
    expect(tacacsCommand('configure terminal ; username bob password 5 $5$abc role network-admin (SUCCESS)', 'stop', 'nxos')).toEqual({
      kind: 'command',
      command: 'configure terminal ; username bob password 5 <redacted> role network-admin',
      change: { action: 'account.set', target: 'bob', role: 'network-admin', technique: 'T1136.001' },
      changed: 'username bob password 5 <redacted> role network-admin',
    });
    for (const outcome of ['FAILURE', 'FAILED', 'REDIRECT']) expect(tacacsCommand(`configure terminal ; username bob role network-admin (${outcome})`, 'stop', 'nxos')).toBeUndefined();
    expect(tacacsCommand('configure terminal ; interface e1/1 ; username x (SUCCESS)', 'stop', 'nxos')).toMatchObject({ change: undefined });
    // A command of its own that ends in a parenthesis keeps it.
    expect(tacacsCommand('show run | include (x)', 'stop', 'ios')).toMatchObject({ command: 'show run | include (x)' });
  });
});
