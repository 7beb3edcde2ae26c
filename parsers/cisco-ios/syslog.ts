// Cisco IOS / IOS-XE syslog: configuration-archive command logging, who configured the device,
// logins and logouts, NETCONF/RESTCONF (DMI) sessions and changes.
//
// Formats, from Cisco's system message guides and real lines (corpus, and fixtures cited in
// parsers/cisco-ios/test/cisco-ios.test.ts):
//   %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username bob privilege 15 secret *
//   %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.1.1.1)
//   %SYS-6-LOGOUT: User x has exited tty session 5(10.1.1.1)
//   %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: x] [Source: ip] [localport: 22] at 22:10:01 UTC Sat Nov 21 2026
//   %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: x] [Source: ip] [localport: 22] [Reason: …] at …
//   %SSH-5-SSH2_USERAUTH: User 'x' authentication for SSH2 Session from ip (tty = 0) using … Succeeded
//   %DMI-5-AUTH_PASSED: R0/0: dmiauthd: User 'x' authenticated successfully from ip:port … for netconf over ssh. …
//   %DMI-5-AUTHENTICATION_FAILED: R0/0: dmiauthd: Authentication failure from ip:port for netconf over ssh.
//   %DMI-5-CONFIG_I: R0/0: dmiauthd: Configured from NETCONF/RESTCONF by x, transaction-id N
//   %AAA-6-USERNAME_CONFIGURATION: user with username: x configured
//   %AAAA-6-ACCTLOCAL: Username: x Privilege level: 15 Command: show clock detail <cr>
//
// Which line yields what:
// - a logged command (the configuration archive's, or local AAA accounting's `ACCTLOCAL`, which
//   also carries the privilege level) yields a command record, and an account record when it is a
//   `username`, `no username` or `enable secret|password` command (both: the trail and its meaning);
// - `Configured from … by …` has no command text: it yields a command record whose command is the
//   device's sentence, so the change, its author and address are on the trail even when the
//   configuration archive is off;
// - logins, failed logins and logouts yield session records;
// - `user with username: x configured` (IOS-XE 17, whenever a `username` line is entered, by any
//   path, even with the configuration archive off) yields an account record with no actor: the
//   message names none, and the `Configured from` or archive line beside it names who.
// Lines under PARSER, SEC_LOGIN, DMI and AAA that match no known form are reported as unknown.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { accountChange } from '../lib/account-command.js';
import { facilityOf, mnemonicOf, parseConfiguredFrom } from '../lib/cisco.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type Origin } from '../lib/record.js';
import { isoTime } from '../lib/record-time.js';
import { iosAtStamp } from '../lib/stamp.js';

const PLATFORM = 'cisco-ios';
const NONE: AaaRecord[] = [];

/** Mnemonics recognised without records: their content is carried by another message. */
const QUIET = new Set([
  'QUIET_MODE_ON', 'QUIET_MODE_OFF', // SEC_LOGIN login-block state, no user
  'SYNC_NEEDED', 'SYNC_START', 'SYNC_COMPLETE', // DMI datastore sync: the CLI change was logged already
  'CONFIG_P', // SYS: "configured programmatically by process …": DMI-5-CONFIG_I names the user
  'USER_RESET', // AAA: a user's failed-attempt count cleared; the `clear aaa local user` command is on the trail
]);

/**
 * The mnemonic of an IOS message: from its tag, or, for lines that arrive without one (a relay
 * or export that kept only the text), from the text's own unmistakable start.
 */
export function iosMnemonic(msg: SyslogMessage): string | undefined {
  if (msg.tag !== undefined) return mnemonicOf(msg.tag);
  if (msg.appName !== undefined) return undefined;
  const t = msg.message;
  const c = t.charCodeAt(0);
  if (c === 85 /* U */ && t.startsWith('User:') && t.includes(' logged command:')) return 'CFGLOG_LOGGEDCMD';
  if (c === 76 /* L */) {
    if (t.startsWith('Login Success [')) return 'LOGIN_SUCCESS';
    if (t.startsWith('Login failed [')) return 'LOGIN_FAILED';
  }
  if (c === 67 /* C */ && t.startsWith('Configuration change requiring running configuration sync detected')) return 'SYNC_NEEDED';
  return undefined;
}

// Offered: the tags read below, and the tagless forms iosMnemonic reads.
export const offer: Offer = {
  tags: ['SYS-', 'SSH-', 'SEC_LOGIN-', 'PARSER-', 'DMI-', 'AAA-', 'AAAA-'],
  texts: ['User:', 'Login Success [', 'Login failed [', 'Configuration change requiring running configuration sync detected'],
};

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const tag = msg.tag;
  let facility = '';
  if (tag !== undefined) {
    // A process name before the tag means EOS or IOS-XR, never IOS.
    if (msg.appName !== undefined) return NONE;
    // Cheap rejection on the tag's own text: most traffic is LINK, LINEPROTO, SYS chatter, ACLs.
    const c = tag.charCodeAt(0);
    if (c === 83 /* S */) {
      if (tag.startsWith('SYS-')) {
        if (!tag.endsWith('-CONFIG_I') && !tag.endsWith('-LOGOUT') && !tag.endsWith('-CONFIG_P')) return NONE;
      } else if (tag.startsWith('SSH-')) {
        if (!tag.endsWith('-SSH2_USERAUTH')) return NONE;
      } else if (!tag.startsWith('SEC_LOGIN-')) return NONE;
    } else if (c === 80 /* P */) {
      if (!tag.startsWith('PARSER-')) return NONE;
    } else if (c === 68 /* D */) {
      if (!tag.startsWith('DMI-')) return NONE;
    } else if (c === 65 /* A */) {
      if (!tag.startsWith('AAA-') && !tag.startsWith('AAAA-')) return NONE;
    } else return NONE;
    facility = facilityOf(tag);
  } else {
    if (msg.appName !== undefined) return NONE;
    const c = msg.message.charCodeAt(0);
    if (c !== 85 && c !== 76 && c !== 67) return NONE;
  }
  const mnemonic = iosMnemonic(msg);
  if (mnemonic === undefined) return NONE;
  const body = msg.message;
  let out: AaaRecord[] | undefined;
  switch (mnemonic) {
    case 'CFGLOG_LOGGEDCMD':
      out = loggedCommand(msg, body);
      break;
    case 'ACCTLOCAL':
      if (facility === 'AAAA') out = locallyAccounted(msg, body);
      break;
    case 'CONFIG_I':
      if (facility === 'SYS') out = configuredFrom(msg, body);
      else if (facility === 'DMI') out = dmiConfigured(msg, body, ctx);
      break;
    case 'LOGOUT':
      if (facility === 'SYS') out = logout(msg, body);
      break;
    case 'LOGIN_SUCCESS':
    case 'LOGIN_FAILED':
      out = secLogin(msg, body, mnemonic === 'LOGIN_SUCCESS');
      break;
    case 'SSH2_USERAUTH':
      out = sshUserauth(msg, body);
      break;
    case 'AUTH_PASSED':
      if (facility === 'DMI') out = dmiAuthPassed(msg, body, ctx);
      break;
    case 'AUTHENTICATION_FAILED':
      if (facility === 'DMI') out = dmiAuthFailed(msg, body);
      break;
    case 'USERNAME_CONFIGURATION':
      if (facility === 'AAA') out = usernameConfigured(msg, body);
      break;
    default:
      if (QUIET.has(mnemonic)) return NONE;
  }
  if (out) return out;
  // NX-OS shares the AAA facility with its own `AAA_…` mnemonics; those are its platform's.
  const reportable = facility === 'PARSER' || facility === 'SEC_LOGIN' || facility === 'DMI' || (facility === 'AAA' && !mnemonic.startsWith('AAA_'));
  if (reportable && tag !== undefined) ctx.unknown(`${PLATFORM}:${tag}`);
  return NONE;
}

function loggedCommand(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  const m = /^User:(\S*)\s+logged command:(.*)$/s.exec(body);
  if (!m) return undefined;
  const o = origin(msg, PLATFORM);
  const who = { actor: m[1], path: 'cli' as const };
  let command = m[2]!;
  // `!exec: enable` is an exec-mode command; `!config: USER TABLE MODIFIED` is the archive's own
  // note that the user table changed, kept verbatim: with `hidekeys` it can be the only trace.
  if (command.startsWith('!exec:')) command = command.slice(6).trim();
  const records: AaaRecord[] = [commandRecord(o, who, command)];
  if (!command.startsWith('!')) {
    const change = accountChange(command, 'ios');
    if (change) records.push(accountRecord(o, who, change, command));
  }
  return records;
}

/** Local command accounting (`aaa accounting commands N default start-stop local`): each token, then `<cr>`. */
function locallyAccounted(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  const m = /^Username: (\S+) Privilege level: (\d+) Command: (.*?)(?: <cr>)?\s*$/s.exec(body);
  if (!m || m[3]!.length === 0) return undefined;
  const o = origin(msg, PLATFORM);
  const who = { actor: m[1], path: 'cli' as const };
  const command = m[3]!;
  const records: AaaRecord[] = [commandRecord(o, who, command, m[2])];
  const change = accountChange(command, 'ios');
  if (change) records.push(accountRecord(o, who, change, command));
  return records;
}

function usernameConfigured(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  const m = /^user with username: (\S+) configured\s*$/.exec(body);
  if (!m) return undefined;
  // `account.set`: the reader makes it a create or a modify from what it knows of the device.
  return [accountRecord(origin(msg, PLATFORM), {}, { action: 'account.set', target: m[1]!, technique: 'T1136.001' })];
}

function configuredFrom(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  const c = parseConfiguredFrom(body);
  if (!c) return undefined;
  const path: ChangePath | undefined = c.source === 'console' ? 'cli' : undefined;
  return [commandRecord(origin(msg, PLATFORM), { actor: c.user, actorAddress: c.address, path }, body)];
}

function logout(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  const m = /^User (\S+) has exited tty session \d+\(([^)]*)\)/.exec(body);
  if (!m) return undefined;
  return [sessionRecord(origin(msg, PLATFORM), { actor: m[1], actorAddress: address(m[2]), path: 'cli' }, 'logout')];
}

function secLogin(msg: SyslogMessage, body: string, success: boolean): AaaRecord[] | undefined {
  const m = /^Login (?:Success|failed) \[user: ([^\]]*)\] \[Source: ([^\]]*)\] \[localport: (\d+)\]/.exec(body);
  if (!m) return undefined;
  const port = m[3];
  // The login-block feature covers HTTP(S) logins as well as Telnet and SSH.
  const path: ChangePath = port === '80' || port === '443' ? 'gui' : 'cli';
  const at = iosAtStamp(body);
  const o = origin(msg, PLATFORM, { time: at });
  // `at 12:06:03 MST Wed Mar 24 2021` names its year; a header stamp without one had its year guessed
  // from the receive time (an old file imported today: 2026). The header's stamp keeps its time of
  // day, its milliseconds and its zone (the body's zone is a name the administrator gave the clock:
  // Elastic's line says MST an hour off its header's UTC), in the body's year.
  if (at !== undefined && msg.timeQuality === 'inferred') {
    const t = nearestYear(msg.time, at);
    if (t !== msg.time) o.time = isoTime(t);
  }
  return [sessionRecord(o, { actor: m[1]!.trim(), actorAddress: address(m[2]), path }, success ? 'login' : 'login.failed')];
}

/** `t` moved by the whole years that bring it nearest `at`, or `t` itself when it is within half a year. */
function nearestYear(t: number, at: number): number {
  const years = Math.round((at - t) / (365.2425 * 86_400_000));
  if (years === 0 || !Number.isFinite(years)) return t;
  const d = new Date(t);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return Number.isNaN(d.getTime()) ? t : d.getTime();
}

function sshUserauth(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  const m = /^User '([^']*)' authentication for SSH2 Session from (\S+) .* (Succeeded|Failed)\s*$/.exec(body);
  if (!m) return undefined;
  const action = m[3] === 'Succeeded' ? 'login' : 'login.failed';
  return [sessionRecord(origin(msg, PLATFORM), { actor: m[1], actorAddress: address(m[2]), path: 'cli' }, action)];
}

/** The NETCONF-or-RESTCONF path each user last authenticated for, per device, to label their DMI changes. */
type DmiPaths = Map<string, ChangePath>;
const DMI_PATHS_MAX = 10_000;

function dmiAuthPassed(msg: SyslogMessage, body: string, ctx: RecogniseContext): AaaRecord[] | undefined {
  // `R0/0: dmiauthd: User 'x' authenticated successfully from ip:port [and was authorized ]for netconf over ssh.`
  const at = body.indexOf("User '");
  const m = at < 0 ? null : /^User '([^']*)' authenticated successfully from (\S+?)(?::\d+)?\s.{0,80}?\bfor (netconf|restconf)\b/i.exec(body.slice(at, at + 600));
  if (!m) return undefined;
  const path: ChangePath = m[3]!.toLowerCase() === 'netconf' ? 'netconf' : 'rest';
  const o = origin(msg, PLATFORM);
  const paths = ctx.state<DmiPaths>('dmi-paths', () => new Map());
  if (paths.size >= DMI_PATHS_MAX) paths.clear();
  paths.set(`${o.device}\u0000${m[1]}`, path);
  return [sessionRecord(o, { actor: m[1], actorAddress: address(m[2]), path }, 'login')];
}

function dmiAuthFailed(msg: SyslogMessage, body: string): AaaRecord[] | undefined {
  // `R0/0: dmiauthd: Authentication failure from ip:port for netconf over ssh.`: no user named.
  const at = body.indexOf('Authentication failure from ');
  const m = at < 0 ? null : /^Authentication failure from (\S+?)(?::\d+)? for (netconf|restconf)\b/i.exec(body.slice(at, at + 200));
  if (!m) return undefined;
  const path: ChangePath = m[2]!.toLowerCase() === 'netconf' ? 'netconf' : 'rest';
  return [sessionRecord(origin(msg, PLATFORM), { actorAddress: address(m[1]), path }, 'login.failed')];
}

function dmiConfigured(msg: SyslogMessage, body: string, ctx: RecogniseContext): AaaRecord[] | undefined {
  const at = body.indexOf('Configured from NETCONF/RESTCONF by ');
  if (at < 0) return undefined;
  const sentence = body.slice(at);
  const m = /^Configured from NETCONF\/RESTCONF by ([^,\s]+)/.exec(sentence);
  if (!m) return undefined;
  const o: Origin = origin(msg, PLATFORM);
  // The message does not say which of the two protocols; the user's last DMI login does.
  const path = ctx.state<DmiPaths>('dmi-paths', () => new Map()).get(`${o.device}\u0000${m[1]}`);
  return [commandRecord(o, { actor: m[1], path }, sentence)];
}
