// H3C Comware syslog: typed commands (SHELL_CMD, and SHELL_SECLOG for security operations), logins, logouts and failed logins. After the
// header a message reads `%%10MODULE/SEVERITY/MNEMONIC[(l|t)]: body` (`%%` without the version on
// some releases; Comware 5 lines behind header.ts have no `%%` at all). Forms from the corpus
// (test/corpus/syslog/h3c-comware) and the Comware system log references:
//   SHELL/6/SHELL_CMD: -Line=vty0-IPAddr=192.0.2.9-User=aaa; Command is dis current-configuration
//   SHELL/6/SHELL_CMD(l): -Task=au0-IPAddr=**-User=**; Command is info-center loghost 192.0.2.100
//   SHELL/6/SHELL_SECLOG(l): -Task=vt0-IPAddr=192.0.2.9-User=xjdl; Command is local-user guanli
//   SHELL/5/SHELL_LOGIN: xjdl logged in from 172.20.99.241.        (SHELL_LOGOUT: … logged out from …)
//   SHELL/5/SHELL_LOGINFAIL(l): SSH user xjdl failed to log in from 192.0.2.20 on VTY0..
//   SSHS/6/SSHS_LOG: Authentication failed for user xjdl from 172.20.99.241 port 17601 because …
//   LOGIN/5/LOGIN_FAILED: a failed to log in from aux0.
//   WEB/4/WEBOPT_LOGIN_FAIL(l): dfddfd failed to log in from 10.10.10.27
//   SHELL/4/LOGINAUTHFAIL(t): Trap 1.1.1….25506.2.2.2.2.2.2.2:dfddfd failed to login from Web, reason is 3
//
// Comware logs no account message of its own: an account is changed by typing `local-user NAME`,
// which enters that user's view, then `password …`, `authorization-attribute user-role R`, … in it.
// So the platform follows each session (device, line, user): the `local-user` command names the
// account the next commands of that session change, until a command that leaves the view.
// Users print as `name@domain(@contextN)`; the actor is the name before `@` (the local user).

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { ArrivalOrder } from '../lib/arrival-order.js';
import type { OwnCommands } from '../lib/account-command.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { redactLine } from './config.js';

const PLATFORM = 'h3c-comware';
const NONE: AaaRecord[] = [];

const TAG = /^(?:%%(?:\d\d)?)?([A-Z][A-Z0-9_]{0,31})\/\d\/([A-Z][A-Z0-9_]{0,63})(?:\([a-z]\))?: ?/;

/** Per session, the local user whose view the session is in. Bounded: the session idle longest is dropped first. */
type Views = ArrivalOrder<string>;
const MAX_SESSIONS = 10_000;

/** Comware 5 behind header.ts: the shared scanner reads `SHELL/5/SHELL_LOGIN:` as the program name. */
const APP_TAG = /^([A-Z][A-Z0-9_]{0,31})\/\d\/([A-Z][A-Z0-9_]{0,63})(?:\([a-z]\))?$/;

// Offered: `%%` tags in the text, or a tag read as the program for the modules read below.
export const offer: Offer = { texts: ['%%'], programs: ['SHELL/', 'SSHS/', 'LOGIN/', 'WEB/'] };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const text = msg.message;
  let m: RegExpExecArray | null;
  let body: string;
  if (text.charCodeAt(0) === 37 /* % */) {
    if (text.charCodeAt(1) !== 37) return NONE;
    m = TAG.exec(text);
    if (!m) return NONE;
    body = text.slice(m[0].length).trim();
  } else {
    const app = msg.appName;
    if (app === undefined || app.charCodeAt(0) < 65 || app.charCodeAt(0) > 90 || !app.includes('/')) return NONE;
    m = APP_TAG.exec(app);
    if (!m) return NONE;
    body = text.trim();
  }
  const module = m[1]!;
  const mnemonic = m[2]!;
  const o = origin(msg, PLATFORM);
  switch (module) {
    case 'SHELL':
      switch (mnemonic) {
        // Commands Comware counts as security operations (`local-user`, `password`) go to the
        // security log instead, in the same form.
        case 'SHELL_CMD':
        case 'SHELL_SECLOG':
          return command(o, body, ctx);
        case 'SHELL_LOGIN': return loginLine(o, body, /^(.+?) logged in from (\S+?)\.?$/, 'login');
        case 'SHELL_LOGOUT': return loginLine(o, body, /^(.+?) logged out from (\S+?)\.?$/, 'logout');
        case 'SHELL_LOGINFAIL': {
          const f = /^(?:\w+ user (\S+) failed to log in from (\S+)|(\w+) user failed to log in) on (\S+?)\.*$/.exec(body);
          if (!f) return NONE;
          return [sessionRecord(o, { actor: f[1] ? nameOf(f[1]) : undefined, actorAddress: address(f[2]), path: 'cli' }, 'login.failed', { session: f[4] })];
        }
        case 'LOGINAUTHFAIL': {
          const f = /:([^:\s]+) failed to login from (Web|\S+)/.exec(body);
          if (!f) return NONE;
          return [sessionRecord(o, { actor: nameOf(f[1]!), path: f[2] === 'Web' ? 'gui' : 'cli' }, 'login.failed')];
        }
        default:
          return NONE;
      }
    case 'SSHS': {
      if (mnemonic !== 'SSHS_LOG') return NONE;
      const f = /^Authentication failed for user (\S+) from (\S+) port \d+/.exec(body);
      return f ? [sessionRecord(o, { actor: nameOf(f[1]!), actorAddress: address(f[2]), path: 'cli' }, 'login.failed')] : NONE;
    }
    case 'LOGIN': {
      if (mnemonic !== 'LOGIN_FAILED') return NONE;
      const f = /^(\S+) failed to log in from (\S+?)\.?$/.exec(body);
      return f ? [sessionRecord(o, { actor: nameOf(f[1]!), actorAddress: address(f[2]), path: 'cli' }, 'login.failed', address(f[2]) ? undefined : { session: f[2] })] : NONE;
    }
    case 'WEB': {
      if (mnemonic !== 'WEBOPT_LOGIN_FAIL') return NONE;
      const f = /^(\S+) failed to log in from (\S+?)\.?$/.exec(body);
      return f ? [sessionRecord(o, { actor: nameOf(f[1]!), actorAddress: address(f[2]), path: 'gui' }, 'login.failed')] : NONE;
    }
    default:
      return NONE;
  }
}

/** `admgbzwy@system(@context5)` → `admgbzwy`; `**` (unknown) → undefined. */
function nameOf(user: string): string | undefined {
  if (user === '**' || user === '') return undefined;
  const at = user.indexOf('@');
  return at > 0 ? user.slice(0, at) : user;
}

/** `xjdl logged in from 172.20.99.241.`, `Console logged in from aux0.` (a console with no user). */
function loginLine(o: Origin, body: string, re: RegExp, action: 'login' | 'logout'): AaaRecord[] {
  const m = re.exec(body);
  if (!m) return NONE;
  const where = m[2]!;
  const ip = address(where);
  const who: Who = { actor: m[1] === 'Console' ? undefined : nameOf(m[1]!), actorAddress: ip, path: 'cli' };
  return [sessionRecord(o, who, action, ip ? undefined : { session: where })];
}

const SHELL_CMD = /^-(Line|Task)=(\S*?)-IPAddr=(\S*?)-User=(.*?); Command is (.*)$/;

/** The first words a command has in a local user's view (`undo` before any of them too). */
const IN_VIEW = /^(?:undo\s+)?(?:password|authorization-attribute|service-type|state|group|description|identity|access-limit|validity-datetime|bind-attribute|password-control)\b/;

function command(o: Origin, body: string, ctx: RecogniseContext): AaaRecord[] {
  const m = SHELL_CMD.exec(body);
  if (!m) return NONE;
  const line = m[2]!;
  const user = m[4]!;
  const typed = m[5]!.trim();
  if (!typed) return NONE;
  const path: ChangePath = 'cli';
  const who: Who = { actor: nameOf(user), actorAddress: address(m[3] === '**' ? undefined : m[3]), path };
  const redacted = redactLine(typed);
  const records: AaaRecord[] = [commandRecord(o, who, redacted)];
  const views = ctx.state<Views>('views', () => new ArrivalOrder<string>());
  const session = `${o.device}\u0000${line}\u0000${user}`;
  const change = viewChange(views, session, typed);
  if (change) records.push(accountRecord(o, who, change, redacted));
  return records;
}

/**
 * The reader of commands sent one by one with their session (`Platform.commandReader`: native
 * TACACS+ command accounting, whose session is the device, port and user), following each
 * session's view as `recognise` follows a logged session's.
 */
export function commandReader(): OwnCommands {
  const views: Views = new ArrivalOrder<string>();
  return (command, session) => {
    const typed = command.trim();
    return typed ? viewChange(views, session, typed) : undefined;
  };
}

/** What a command does to a local user, following the session's view; updates the view. */
function viewChange(views: Views, session: string, typed: string): AccountChange | undefined {
  const words = typed.split(/\s+/);
  if (words[0] === 'local-user' && words[1]) {
    views.delete(session);
    if (words.includes('network')) return undefined;
    views.set(session, words[1]);
    views.bound(MAX_SESSIONS);
    return undefined;
  }
  // An SSH user a key logs in as (`ssh user bob service-type stelnet authentication-type publickey
  // assign publickey bobkey`; Comware 5 types its parts one by one): an account holder with that
  // key (the configuration reader makes it one, config.ts), whether or not a local user of its name
  // exists, which decides create or modify; typed in any view, it leaves none.
  if (words[0] === 'ssh' && words[1] === 'user' && words[2]) {
    views.delete(session);
    if (words.includes('publickey') || words.includes('password-publickey') || /\bauthentication-type\s+any\b/.test(typed)) {
      return { action: 'account.set', target: words[2], technique: 'T1098.004' };
    }
    return words.length > 3 ? { action: 'account.modify', target: words[2], technique: 'T1098' } : undefined;
  }
  if (words[0] === 'undo' && words[1] === 'ssh' && words[2] === 'user' && words[3]) {
    views.delete(session);
    return { action: 'account.modify', target: words[3], technique: 'T1098' };
  }
  if (words[0] === 'undo' && words[1] === 'local-user') {
    views.delete(session);
    const target = words[2];
    if (!target || target === 'all') return undefined;
    return { action: 'account.delete', target, technique: 'T1531' };
  }
  const target = views.get(session);
  if (target === undefined) return undefined;
  if (!IN_VIEW.test(typed)) {
    views.delete(session);
    return undefined;
  }
  // Used again: the sessions forgotten first, past the bound, are those idle longest.
  views.set(session, target);
  if (words[0] === 'password') return { action: 'account.set', target, technique: 'T1136.001' };
  if (words[0] === 'authorization-attribute' && words[1] === 'user-role' && words[2]) {
    return { action: 'privilege.change', target, role: words[2], technique: 'T1098' };
  }
  return { action: 'account.modify', target, technique: 'T1098' };
}
