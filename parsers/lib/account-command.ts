// What a configuration command does to local accounts: the one interpreter every recogniser uses,
// whether the command came from a device's own command log (IOS archive, NX-OS/EOS accounting,
// Junos UI_CMDLINE_READ_LINE) or was relayed by a TACACS+ server (ISE, tac_plus) that does not say
// which CLI it came from. Syntax per docs/notes/config-pull.md §4.
//
// - Cisco-style CLIs (IOS/IOS-XE, NX-OS, EOS): `username …`, `no username …`, `enable secret|password`,
//   EOS's `[no] aaa root …`.
// - Junos: `set|delete|(de)activate system login user NAME …` and `system root-authentication …`,
//   on an absolute configuration path (the Junos recogniser applies the session's `edit` level first).
//
// Only the first words decide: `show running-config | include username`, `show users`, a user
// named `aaa` or a hostname containing `username` change nothing.

import { redactCommand, type AccountChange } from './record.js';
import { isLineEnd, isSpace } from './white-space.js';

/**
 * The CLI a command was typed into. `relayed`: unknown, as a TACACS+ server relays the command text
 * of whatever device sent it — read as a Cisco-style CLI would, else as an absolute Junos command.
 */
export type Cli = 'ios' | 'nxos' | 'eos' | 'relayed';

/**
 * What a platform's own account commands do, when their syntax is neither Cisco-style nor Junos
 * (`Platform.commandReader`: Huawei VRP's `local-user`, Comware's view): tried after those, with
 * the command's session.
 */
export type OwnCommands = (command: string, session: string) => AccountChange | undefined;

/** The account change a configuration command makes, or undefined when it makes none. */
export function accountChange(command: string, cli: Cli): AccountChange | undefined {
  if (cli !== 'relayed') return ciscoChange(command, cli);
  // Without knowing the device's CLI, `no username bob <attribute>` is read the NX-OS/EOS way (the
  // attribute removed, the account kept) rather than the IOS way (the account removed): the record
  // never claims a deletion the device may not have made, and the next configuration pull settles it.
  const cisco = ciscoChange(command, 'nxos');
  if (cisco) return cisco;
  // The path's first word is `system`: a command without it is no change, and is not split in words.
  if (!command.includes('system')) return undefined;
  const w = junosWords(command);
  const verb = w[0]?.toLowerCase();
  if ((verb === 'set' || verb === 'delete') && w[1] === 'system') return junosPathChange(verb, w.slice(1));
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cisco-style CLIs

/** Keywords that give an account a way to log in. */
const CREDENTIALS = new Set(['password', 'secret', 'nopassword', 'sshkey', 'ssh-key', 'passphrase']);
/** Keywords that only grant rights: a command with nothing else changes privilege, not credentials. */
const RIGHTS = new Set(['privilege', 'role', 'view']);
/** The encryption type between `password`/`secret` and its value (`secret 9 $9$…`, `secret sha512 $6$…`). */
const HASH_TYPE = /^(?:0|4|5|6|7|8|9|10|sha512|sha256|md5|encrypted)$/;

/**
 * The words that decide, `[no] enable` or `[no] username` (as below: whitespace as `\s`, letters in
 * any case), tested before the command is split: most commands records carry are neither, and
 * the split and the lower-casing were a twentieth of the CPU of an IOS command line (2026-12-03,
 * load 20). Without the `u` flag, `i` folds only ASCII letters onto these, as toLowerCase does.
 */
const DECIDING = /^\s*(?:no\s+)?(?:enable|username|aaa\s+root)(?:\s|$)/i;

function ciscoChange(command: string, cli: 'ios' | 'nxos' | 'eos'): AccountChange | undefined {
  if (!DECIDING.test(command)) return undefined;
  const t = command.trim().split(/\s+/);
  let i = 0;
  const negated = t[0]?.toLowerCase() === 'no';
  if (negated) i++;
  const verb = t[i]?.toLowerCase();
  if (verb === 'enable') {
    const what = t[i + 1]?.toLowerCase();
    if (what !== 'secret' && what !== 'password') return undefined;
    // The enable secret is the shared privileged-mode credential: a password change on no named user.
    return { action: 'password.change', target: 'enable', technique: 'T1098' };
  }
  // EOS's Linux superuser: `aaa root secret [0|5|sha512] S` or `aaa root nopassword` lets root log
  // in, `no aaa root` takes its login away (as the EOS configuration reader reads the account).
  if (verb === 'aaa') {
    if (t[i + 1]?.toLowerCase() !== 'root') return undefined;
    if (negated) return { action: 'account.delete', target: 'root', technique: 'T1531' };
    const how = t[i + 2]?.toLowerCase();
    return how === 'secret' || how === 'nopassword' ? { action: 'account.set', target: 'root', privilege: '15', technique: 'T1136.001' } : undefined;
  }
  if (verb !== 'username') return undefined;
  const target = t[i + 1];
  if (!target) return undefined;
  const rest = t.slice(i + 2).map((x) => x.toLowerCase());
  if (negated) {
    // IOS removes the account whatever follows; NX-OS and EOS remove only the named attribute
    // (`no username bob role network-operator`, `no username bob ssh-key`).
    if (rest.length === 0 || cli === 'ios') return { action: 'account.delete', target, technique: 'T1531' };
    // A right taken away from an account that stays: `no username bob role network-admin`,
    // `no username bob privilege 15` (the value as typed, when given).
    if (RIGHTS.has(rest[0]!)) {
      const value = t[i + 3];
      if (rest[0] === 'privilege') return value === undefined ? { action: 'privilege.revoke', target } : { action: 'privilege.revoke', target, privilege: value };
      return value === undefined ? { action: 'privilege.revoke', target } : { action: 'privilege.revoke', target, role: value };
    }
    return { action: 'account.modify', target, technique: 'T1098' };
  }
  const change: AccountChange = { action: 'account.set', target, technique: 'T1136.001' };
  let credential = false;
  let other = false;
  for (let k = 0; k < rest.length; k++) {
    const w = rest[k]!;
    if (RIGHTS.has(w)) {
      const value = t[i + 2 + k + 1];
      if (value !== undefined) {
        if (w === 'privilege') change.privilege = value;
        else change.role ??= value;
        k++;
      }
    } else if (w === 'password' || w === 'secret') {
      // `password [type] value`: skip the value so a role after it (NX-OS) is still read.
      credential = true;
      if (HASH_TYPE.test(rest[k + 1] ?? '')) k++;
      k++;
    } else if (CREDENTIALS.has(w)) {
      credential = true;
      if (w !== 'nopassword') break; // a key or passphrase runs to the end of the line
    } else {
      other = true;
    }
  }
  if (!credential && !other && (change.privilege || change.role)) change.technique = 'T1098';
  return change;
}

// ---------------------------------------------------------------------------------------------
// Junos

/** Where the double-quoted string opened before `from` closes, or -1: a backslash escapes the next character (not a line end). */
function closingQuote(s: string, from: number): number {
  for (let k = from; k < s.length; ) {
    const c = s.charCodeAt(k);
    if (c === 34) return k;
    if (c !== 92) k++;
    else if (k + 1 < s.length && !isLineEnd(s.charCodeAt(k + 1))) k += 2;
    else return -1;
  }
  return -1;
}

/**
 * Words of a Junos command; a double-quoted string is one word, without its quotes (an unclosed
 * quote starts a plain word). What `/"((?:[^"\\]|\\.)*)"|(\S+)/g` matched, read in one pass
 * without a match array per word: 0.36 to 0.17-0.19 µs a bench:ingest Junos command (in-process,
 * alternated, 2026-12-04, load 13).
 */
export function junosWords(command: string): string[] {
  const out: string[] = [];
  const n = command.length;
  let i = 0;
  while (i < n) {
    const c = command.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 34) {
      const close = closingQuote(command, i + 1);
      if (close >= 0) {
        out.push(command.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    let j = i + 1;
    while (j < n && !isSpace(command.charCodeAt(j))) j++;
    out.push(command.slice(i, j));
    i = j;
  }
  return out;
}

/**
 * The account change a `set`/`delete`/`(de)activate` on an absolute Junos configuration path makes
 * (`system login user bob class super-user`), if any. `value` is the statement's value when the
 * path does not hold it (UI_CFG_AUDIT_SET reports `[system login user bob class]` and the value apart).
 */
export function junosPathChange(verb: string, path: readonly string[], value?: string): AccountChange | undefined {
  if (path[0] !== 'system') return undefined;
  if (path[1] === 'root-authentication') {
    if (verb === 'set') return { action: 'password.change', target: 'root', technique: 'T1098' };
    return { action: 'account.modify', target: 'root', technique: 'T1098' };
  }
  if (path[1] !== 'login' || path[2] !== 'user' || !path[3]) return undefined;
  const target = path[3];
  const rest = path.slice(4);
  if (verb === 'delete' && rest.length === 0) return { action: 'account.delete', target, technique: 'T1531' };
  // The login class (its rights) taken away; the account stays until it is deleted too.
  if (verb === 'delete' && rest[0] === 'class') {
    const role = rest[1] ?? value;
    return role === undefined ? { action: 'privilege.revoke', target } : { action: 'privilege.revoke', target, role };
  }
  if (verb !== 'set') return { action: 'account.modify', target, technique: 'T1098' };
  const change: AccountChange = { action: 'account.set', target, technique: 'T1136.001' };
  if (rest[0] === 'class') {
    change.role = rest[1] ?? value;
    // A class alone grants rights; it gives no way to log in.
    if (rest.length <= 2) change.technique = 'T1098';
  }
  return change;
}

// ---------------------------------------------------------------------------------------------
// Commands as TACACS+ accounting carries them

const MAX_COMMAND = 4096;

/**
 * The command as accounted, ready to store: IOS ends TACACS+ command arguments with a `<cr>`
 * token that is not part of the command, and every secret is redacted.
 */
export function accountedCommand(raw: string): string {
  let cmd = raw.length > MAX_COMMAND ? raw.slice(0, MAX_COMMAND) : raw;
  cmd = cmd.trim();
  if (cmd.endsWith('<cr>')) cmd = cmd.slice(0, -4).trimEnd();
  return redactCommand(cmd);
}

/**
 * TACACS+ services of network access (dial-up, VPN), not device administration, and IOS's system
 * accounting (`service=system event=sys_acct reason=reload`, a START from user `unknown`: the
 * device's own events, no one's session): never recorded, whether the device sent the request here
 * or a TACACS+ server relays it.
 */
export const UNRECORDED_TACACS_SERVICES: ReadonlySet<string> = new Set(['ppp', 'slip', 'arap', 'vpdn', 'system']);

/** What a TACACS+ accounting request's `cmd=` amounts to (`tacacsCommand`); undefined: nothing to record. */
export type TacacsCommand =
  /** Junos's login (a START with `cmd=login`) or its logout (the login task's STOP with `cmd=logout`). */
  | { kind: 'session'; action: 'session.start' | 'session.stop' }
  /** A command that ran, ready to store; the account change it makes, and the text that change is filed with. */
  | { kind: 'command'; command: string; change: AccountChange | undefined; changed: string }
  | undefined;

/** NX-OS's outcome after an accounted command; only `(SUCCESS)` ran (`(REDIRECT)` is an intermediate copy). */
const NXOS_OUTCOME = /^(.*) \((SUCCESS|FAILURE|FAILED|REDIRECT)\)\)?\s*$/s;
/** Junos's change log (`events change-log`): `set: [system login user bob authentication encrypted-password]`, the path without its value. */
const JUNOS_CHANGE_LOG = /^(\w+): \[([^\]]*)\]/;

/**
 * A command as TACACS+ accounting carries it (`cmd=`, its `cmd-arg`s joined), the same whether the
 * device sent it here or a TACACS+ server relays it. Besides commands typed at a Cisco-style CLI:
 * - Junos accounts a login as a START with `cmd=login` and the logout as the login task's STOP
 *   with `cmd=logout` (tac_plus logs of Junos devices, jathanism/tac_parse `tac_plus.acct`);
 * - Junos's change log names the configuration path changed, `set: [system login user bob class]`;
 * - NX-OS sends the configuration modes the command was typed under and its outcome, as in its
 *   own accounting log: `configure terminal ; username bob password 5 … (SUCCESS)` (the last
 *   command is read, and only under `configure` alone; an entry that did not run is not recorded).
 * A command's START and WATCHDOG add nothing its STOP does not: only a STOP records a command.
 */
export function tacacsCommand(raw: string, flag: 'start' | 'stop' | 'update', cli: Cli, own?: OwnCommands, session = ''): TacacsCommand {
  const text = raw.trim();
  if (text === 'login') return flag === 'start' ? { kind: 'session', action: 'session.start' } : undefined;
  if (text === 'logout') return flag === 'stop' ? { kind: 'session', action: 'session.stop' } : undefined;
  if (flag !== 'stop') return undefined;
  const outcome = text.endsWith(')') ? NXOS_OUTCOME.exec(text) : null;
  if (outcome && outcome[2] !== 'SUCCESS') return undefined;
  const command = accountedCommand(outcome ? outcome[1]! : text);
  const modes = command.includes(' ; ') ? command.split(' ; ') : undefined;
  const changed = modes ? modes[modes.length - 1]! : command;
  if (modes && !modes.slice(0, -1).every((m) => m.startsWith('configure'))) return { kind: 'command', command, change: undefined, changed };
  const log = JUNOS_CHANGE_LOG.exec(changed);
  const change = log ? junosPathChange(log[1]!, junosWords(log[2]!)) : (accountChange(changed, cli) ?? own?.(changed, session));
  return { kind: 'command', command, change, changed };
}
