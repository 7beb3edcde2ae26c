// Huawei VRP syslog: the command record (`SHELL/5/CMDRECORD`, its display and failed variants,
// and the older `task: ip: user: vrf: command:` form), web and CLI logins, and the AAA module's
// local-account messages. After the header (header.ts) every VRP message reads
// `%%01MODULE/SEVERITY/MNEMONIC(flag)[seq]:body`; the body of the newer messages is
// `Sentence. (Key=value, Key="value", …)`.
//
// Forms, from Huawei's log references (docs/notes/platforms.md cites them) and the corpus
// (test/corpus/syslog/huawei-vrp):
//   SHELL/5/CMDRECORD(s)[536]:Recorded command information. (Task=HTPR, Ip=192.0.2.9, VpnName=, User=x, AuthenticationMethod="Null", Command="acl 3000")
//   SHELL/6/DISPLAY_CMDRECORD(s)[204]: Recorded display command information. (… Command="display license state")
//   SHELL/5/CMDRECORD(l): task:HTPR ip:192.0.2.3 user:x vrf:public command:undo info-center loghost source.
//   SHELL/4/LOGINFAIL(l): User login failed from con0(times=1).
//   HTTPD/6/PASS(l)[28086]:User x(IP:192.0.2.9 ID:418) login succeeded      (OUT … logout, FAIL … login failed)
//   HTTP/3/LOGINFAIL(s)[212]: User login failed. (UserName=x, IPAddress=192.0.2.9, VpnName=, Info=…)
//   AAA/6/LOCALACCOUNT_PASSWORD_MODIFY:The user x with IP address 192.0.2.9 changed the password of y through the web NMS.
//   AAA/5/USER_LOCKED: User was locked. (User=x, Continue failed times=5, Continue failed period=5, Locked duration=300, Access type=ssh)
//   CMD/4/SUPERLOGIN: User changed level. (User=x, IpAddress=192.0.2.9, VpnName=, Level=15, Times=1, LoginResult=success)
// (the AAA, LINE and CMD forms as Huawei's log references print them are in
// test/corpus/syslog/huawei-vrp/*.vrp-logref).
//
// What each yields:
// - a command record for every recorded command (display commands included: the trail is every
//   command; CMDRECORDFAILED repeats a failed one and yields nothing, though the account record
//   its CMDRECORD gave stands: the failure comes after it), and an account record when the command is a `local-user` command (`undo local-user
//   NAME` deletes; `… password …` sets; `… privilege level N` / `… level N` sets with that level
//   (makes the account when none is known, as `local-user` does; else changes its privilege);
//   `… state block|active` locks or unlocks, as V8's `activate aaa local-user NAME` unlocks, and any
//   other attribute, modify). `User=**` (a password
//   login, the console) names no one. A lock or unlock an administrator types is an
//   `account.modify`, as on Linux (`usermod -L`, auditd ACCT_LOCK) and Windows (4722/4725);
// - session records for logins, logouts and failed logins, and a `session.start` at the new level
//   for a session raised with `super` (CMD/4/SUPERLOGIN, like ASA's 502103: the account is unchanged);
// - an account record for a password changed through the web NMS.
// The command text passes through the platform's secret grammar (config.ts redactLine) before the
// record is built: a `local-user x password irreversible-cipher TYPED` reaches the log in clear.
// The AAA module's state messages yield nothing: a lockout after failed logins (USER_LOCKED; as
// Windows 4740 yields nothing), the automatic unlock, an expiry, a time range, a domain blocked or
// active, a password change refused or failed (LOCALACCOUNT_MODIFY_FAIL): no one changed the
// account, and an administrator's lock is already the command record of `local-user … state`.
// AAA local-account messages of other forms are reported as unknown.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { levelOf, localUserLine, redactLine } from './config.js';

const PLATFORM = 'huawei-vrp';
const NONE: AaaRecord[] = [];

/** `%%01SHELL/5/CMDRECORD(s)[536]:` → module, mnemonic; the body starts after the match. */
const TAG = /^%%\d\d([A-Z][A-Z0-9_]{0,31})\/\d\/([A-Z][A-Z0-9_]{0,63})(?:\([a-z]\))?(?:\[\d{1,10}\])?: ?/;

// Offered: `%%` tags.
export const offer: Offer = { texts: ['%%'] };

export function recognise(msg: SyslogMessage, _ctx: RecogniseContext): AaaRecord[] {
  const text = msg.message;
  // Every VRP message starts `%%`; nearly no other traffic does (H3C Comware's `%%10…` is turned
  // away by module and mnemonic below).
  if (text.charCodeAt(0) !== 37 || text.charCodeAt(1) !== 37) return NONE;
  const c = text.charCodeAt(4);
  // S(HELL), H(TTP/HTTPD), A(AAA), C(MD): every module read here.
  if (c !== 83 && c !== 72 && c !== 65 && c !== 67) return NONE;
  const m = TAG.exec(text);
  if (!m) return NONE;
  const module = m[1]!;
  const mnemonic = m[2]!;
  const body = text.slice(m[0].length);
  const o = origin(msg, PLATFORM);
  switch (module) {
    case 'SHELL':
      // A command that fails is logged twice, CMDRECORD then CMDRECORDFAILED (the log reference,
      // SHELL/5/CMDRECORD): the first is its record; the second changes nothing.
      if (mnemonic === 'CMDRECORD' || mnemonic === 'DISPLAY_CMDRECORD') return commandRecords(o, body);
      if (mnemonic === 'LOGINFAIL' || mnemonic === 'LOGINFAILED') return shellLoginFailed(o, body);
      return NONE;
    case 'HTTPD':
      return httpd(o, mnemonic, body);
    case 'HTTP':
      return mnemonic === 'LOGINFAIL' ? httpLoginFailed(o, body) : NONE;
    case 'AAA':
      return aaa(o, mnemonic, body, _ctx);
    case 'CMD':
      return mnemonic === 'SUPERLOGIN' ? superLogin(o, body) : NONE;
    default:
      return NONE;
  }
}

/** `(Key=value, Key="value", …)` at the end of a body → its fields; `Command` may hold `,` and `"`. */
export function fields(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const open = body.indexOf('(');
  if (open < 0) return out;
  let inner = body.slice(open + 1).replace(/\)\s*\.?\s*$/, '');
  // The command comes last and runs to the closing quote before the final parenthesis.
  const cmd = inner.indexOf('Command="');
  if (cmd >= 0) {
    const value = inner.slice(cmd + 9);
    out['Command'] = value.endsWith('"') ? value.slice(0, -1) : value;
    inner = inner.slice(0, cmd);
  }
  for (const part of inner.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (key) out[key] = value;
  }
  return out;
}

/** A user or address field: `**` (unknown) and empty say nobody. */
const known = (s: string | undefined): string | undefined => (s && s !== '**' ? s : undefined);

/** The terminal a command came from: `VTY0`/`VT0` (SSH, Telnet), `CON0`, `AUX0` are the CLI; `We0` the web UI. */
function pathOf(task: string | undefined): ChangePath | undefined {
  if (!task) return undefined;
  if (/^(?:VTY?|CON|AUX|TTY)\d/i.test(task)) return 'cli';
  if (/^We\d/.test(task)) return 'gui';
  return undefined;
}

const OLD_FORM = /^task:(\S*) ip:(\S*) user:(\S*) vrf:(\S*) command:(.*?)\.?$/;

function commandRecords(o: Origin, body: string): AaaRecord[] {
  let task: string | undefined;
  let ip: string | undefined;
  let user: string | undefined;
  let command: string | undefined;
  const old = OLD_FORM.exec(body);
  if (old) {
    [task, ip, user, command] = [old[1], old[2], old[3], old[5]];
  } else {
    const f = fields(body);
    [task, ip, user, command] = [f['Task'], f['Ip'], f['User'], f['Command']];
  }
  if (command === undefined || command.trim() === '') return NONE;
  const who: Who = { actor: known(user), actorAddress: address(known(ip)), path: pathOf(task) };
  const typed = redactLine(command.trim());
  const records: AaaRecord[] = [commandRecord(o, who, typed)];
  const change = localUserChange(command);
  if (change) records.push(accountRecord(o, who, change, typed));
  return records;
}

/** What a typed `local-user` (or `ssh user … assign`) command does to the account it names. */
export function localUserChange(command: string): AccountChange | undefined {
  const t = command.trim();
  const undo = /^undo\s+local-user\s+(\S+)\s*$/.exec(t);
  if (undo) return undo[1] === 'policy' ? undefined : { action: 'account.delete', target: undo[1]!, technique: 'T1531' };
  // VRP V8's unlock of an account locked by failed logins (the NE8000 log reference, AAA/5/USER_LOCKED).
  const activate = /^activate\s+aaa\s+local-user\s+(\S+)\s*$/.exec(t);
  if (activate) return { action: 'account.modify', target: activate[1]!, technique: 'T1098' };
  // A key bound to an SSH user is a login of its own, with no local user needed (the configuration
  // reader's `ssh user`, parsers/huawei-vrp/config.ts): made as a `username … sshkey` is.
  const key = /^ssh\s+user\s+("[^"]*"|\S+)\s+assign\s+(?:(?:rsa|dsa|ecc|sm2)-key|pki)\s+\S/.exec(t);
  if (key) return { action: 'account.set', target: key[1]!.replace(/^"(.*)"$/, '$1'), technique: 'T1136.001' };
  const l = localUserLine(t);
  if (!l) return undefined;
  if (l.attribute === 'password') return { action: 'account.set', target: l.name, technique: 'T1136.001' };
  const level = levelOf(l.attribute, l.rest);
  // "The local-user command creates a local user and sets parameters of the local user" (Huawei's
  // command reference, `local-user`): a level set for an account not known makes it, and its
  // typist is the maker; for a known one it changes the level (the reader resolves which).
  if (level !== undefined) return { action: 'account.set', target: l.name, privilege: level, technique: 'T1098' };
  if (l.attribute === 'user-group' && l.rest[0]) return { action: 'account.modify', target: l.name, role: l.rest[0], technique: 'T1098' };
  return { action: 'account.modify', target: l.name, technique: 'T1098' };
}

/** `User login failed from con0(times=1).`: the console or a line, no user name. */
function shellLoginFailed(o: Origin, body: string): AaaRecord[] {
  const m = /^User login failed from (\S+?)\(/.exec(body);
  if (!m) return NONE;
  return [sessionRecord(o, { path: 'cli' }, 'login.failed', { session: m[1] })];
}

/** `User x(IP:192.0.2.9 ID:418) login succeeded|logout|login failed` (USG web UI). */
function httpd(o: Origin, mnemonic: string, body: string): AaaRecord[] {
  const action = mnemonic === 'PASS' ? 'login' : mnemonic === 'OUT' ? 'logout' : mnemonic === 'FAIL' ? 'login.failed' : undefined;
  if (!action) return NONE;
  const m = /^User (.+?)\(IP:(\S+) ID:(\d+)\) (?:login succeeded|logout|login failed)\s*$/.exec(body);
  if (!m) return NONE;
  return [sessionRecord(o, { actor: m[1], actorAddress: address(m[2]), path: 'gui' }, action, { session: m[3] })];
}

/** `User login failed. (UserName=x, IPAddress=192.0.2.9, VpnName=, Info=…)`. */
function httpLoginFailed(o: Origin, body: string): AaaRecord[] {
  const f = fields(body);
  const user = known(f['UserName']);
  if (!user) return NONE;
  return [sessionRecord(o, { actor: user, actorAddress: address(known(f['IPAddress'])), path: 'gui' }, 'login.failed')];
}

const WEB_PASSWORD = /^The user (\S+) with IP address (\S+) changed the password of (\S+) through the web NMS\.?\s*$/;

/** The account's state changing by itself, or a change that did not happen: nothing to record (see the top). */
const AAA_STATE = /^(?:LOCALACCOUNT_(?:LOCK|UNLOCK|EXPIRED|NOT_EXPIRED|IN_TIMERANGE|OUT_TIMERANGE|PASSWORD_EXPIRED|MODIFY_PASSWORD_LOCK|MODIFY_PASSWORD_UNLOCK|MODIFY_FAIL)|USER_LOCKED|USER_UNLOCK)$/;

function aaa(o: Origin, mnemonic: string, body: string, ctx: RecogniseContext): AaaRecord[] {
  if (mnemonic === 'LOCALACCOUNT_PASSWORD_MODIFY') {
    const m = WEB_PASSWORD.exec(body);
    if (m) return [accountRecord(o, { actor: m[1], actorAddress: address(m[2]), path: 'gui' }, { action: 'password.change', target: m[3]!, technique: 'T1098' })];
  } else if (AAA_STATE.test(mnemonic) || !mnemonic.startsWith('LOCALACCOUNT_')) {
    return NONE;
  }
  ctx.unknown(`AAA/${mnemonic}`, o.device);
  return NONE;
}

/**
 * `User changed level. (User=x, IpAddress=…, VpnName=, Level=15, Times=1, LoginResult=success)`:
 * a session raised with `super`; a failed attempt changes nothing.
 */
function superLogin(o: Origin, body: string): AaaRecord[] {
  if (!body.startsWith('User changed level.')) return NONE;
  const f = fields(body);
  const level = f['Level'];
  // The reference names the field ("whether the user successfully logs in"), not its words.
  if (!/^succe/i.test(f['LoginResult'] ?? '') || level === undefined || !/^(?:[0-9]|1[0-5])$/.test(level)) return NONE;
  return [sessionRecord(o, { actor: known(f['User']), actorAddress: address(known(f['IpAddress'])), path: 'cli' }, 'session.start', { privilege: level })];
}
