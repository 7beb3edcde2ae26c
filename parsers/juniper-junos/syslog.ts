// Juniper Junos syslog from mgd and sshd: command history (`interactive-commands`), commits,
// configuration audit (`change-log`), logins and NETCONF requests, in both forms Junos sends:
//   BSD:      mgd[pid]: UI_CMDLINE_READ_LINE: User 'x', command 'set system login user bob class super-user '
//   explicit: mgd[pid]: %INTERACT-6-UI_COMMIT: User 'x' requested 'commit' operation (comment: none)
//   RFC 5424: mgd pid UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="x" command="…"] User 'x', command '…'
// The structured-data parameters are used when present (they are unambiguous where the text has
// quotes inside quotes); the text otherwise. Forms from the Junos System Log Explorer and real
// lines (corpus; public captures cited in parsers/juniper-junos/test/juniper-junos.test.ts).
//
// - UI_CMDLINE_READ_LINE: a command record, and an account record for `set|delete|(de)activate
//   system login user …` and `system root-authentication`, with the session's `edit` level applied.
//   NETCONF requests also appear here as `<rpc> rpc rpc <rpc> <command>`: path `netconf`.
// - UI_CFG_AUDIT_*: the change itself (`[system login user bob class] unconfigured -- "super-user"`).
//   It yields an account record unless the same actor's command line reported the same change
//   moments before or after (both are logged when `interactive-commands` and `change-log` are on;
//   a NETCONF load logs the audit lines first): one change, one account record.
// - UI_COMMIT, UI_NETCONF_CMD, UI_JUNOSCRIPT_CMD: command records. UI_LOGIN_EVENT, UI_LOGOUT_EVENT,
//   UI_CLI_IDLE_TIMEOUT, SSHD_LOGIN_FAILED: session records. UI_AUTH_EVENT yields nothing: the
//   UI_LOGIN_EVENT that follows carries the same user with the address.
// - Any other UI_ tag not listed as known is reported as unknown.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { junosPathChange, junosWords } from '../lib/account-command.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { RecentChanges } from '../lib/recent.js';
import { SyslogClasses, classPath } from './classes.js';
import { EditLevels } from './cli-path.js';

const PLATFORM = 'juniper-junos';
const NONE: AaaRecord[] = [];

/** UI_ tags understood to carry nothing for aaawatch (progress, child processes, errors). */
const KNOWN = new Set([
  'UI_AUTH_EVENT', 'UI_COMMIT_COMPLETED', 'UI_COMMIT_PROGRESS', 'UI_COMMIT_NOT_CONFIRMED',
  'UI_COMMIT_CONFIRMED_REMINDER', 'UI_COMMIT_EMPTY_CONTAINER', 'UI_COMMIT_AT', 'UI_COMMIT_AT_COMPLETED',
  'UI_CHILD_START', 'UI_CHILD_STATUS', 'UI_CHILD_EXITED', 'UI_CHILD_SIGNALED', 'UI_CHILD_STOPPED',
  'UI_DBASE_LOGIN_EVENT', 'UI_DBASE_LOGOUT_EVENT', 'UI_LOAD_EVENT', 'UI_LOAD_JUNOS_DEFAULT_FILE_EVENT',
  'UI_ROLLBACK_EVENT', 'UI_OPEN_TIMEOUT', 'UI_READ_TIMEOUT', 'UI_CONFIGURATION_ERROR', 'UI_TACPLUS_ERROR',
  'UI_RESTART_EVENT', 'UI_REBOOT_EVENT', 'UI_WRITE_RECONNECT', 'UI_LOST_CONN', 'UI_MASTERSHIP_EVENT',
  'UI_JUNOSCRIPT_ERROR', 'UI_NETCONF_ERROR', 'UI_PARSE_JUNOSCRIPT_ATTRIBUTES',
]);

const EDIT_SESSIONS_MAX = 10_000;
const RECENT_WINDOW_MS = 10_000;
const RECENT_MAX = 10_000;
const CLASSES_MAX = 10_000;

interface Tagged {
  tag: string;
  body: string;
  sd: Record<string, string> | undefined;
}

/**
 * The three forms' event names: the RFC 5424 MSGID, the start of the BSD text, or the explicit-priority
 * tag after its facility code (the syslog facilities and Junos' own: `CHANGE`, `CONFLICT`, `DFC`,
 * `FIREWALL`, `INTERACT`, `PFE`, …, as the Junos facility code table names them).
 */
export const offer: Offer = {
  msgIds: ['UI_', 'SSHD_LOGIN_FAILED'],
  texts: ['UI_', 'SSHD_LOGIN_FAILED'],
  tags: [
    'AUTH-', 'AUTHPRIV-', 'CHANGE-', 'CONFLICT-', 'CONSOLE-', 'CRON-', 'DAEMON-', 'DFC-', 'EXTERNAL-', 'FIREWALL-', 'FTP-',
    'INTERACT-', 'KERN-', 'KERNEL-', 'LOCAL', 'LPR-', 'MAIL-', 'NEWS-', 'NTP-', 'PFE-', 'SECURITY-', 'SYSLOG-', 'USER-', 'UUCP-',
  ],
};

/** The event tag of a Junos line, from the RFC 5424 MSGID or the start of the BSD text. */
function junosTagged(msg: SyslogMessage): Tagged | undefined {
  const id = msg.msgId;
  if (id !== undefined) {
    const c = id.charCodeAt(0);
    if ((c !== 85 && c !== 83) || !(id.startsWith('UI_') || id.startsWith('SSHD_LOGIN_FAILED'))) return undefined;
    return { tag: id, body: msg.message, sd: junosParams(msg) };
  }
  // Explicit-priority form, `mgd[1]: %INTERACT-6-UI_COMMIT: …`: the header gives the tag;
  // the Junos event name is what follows the facility and severity.
  const full = msg.tag;
  if (full !== undefined) {
    if (msg.appName === undefined) return undefined;
    const dash = full.indexOf('-', full.indexOf('-') + 1);
    const tag = full.slice(dash + 1);
    if (dash < 0 || !(tag.startsWith('UI_') || tag === 'SSHD_LOGIN_FAILED')) return undefined;
    return { tag, body: msg.message, sd: undefined };
  }
  const t = msg.message;
  const c = t.charCodeAt(0);
  if (c !== 85 /* U */ && c !== 83 /* S */) return undefined;
  const start = 0;
  if (!t.startsWith('UI_', start) && !t.startsWith('SSHD_LOGIN_FAILED', start)) return undefined;
  let end = start;
  while (end < t.length && end - start < 64) {
    const k = t.charCodeAt(end);
    if ((k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95) end++;
    else break;
  }
  if (t.charCodeAt(end) !== 58) return undefined;
  let body = end + 1;
  while (t.charCodeAt(body) === 32) body++;
  return { tag: t.slice(start, end), body: t.slice(body), sd: undefined };
}

/** The `junos@2636…` structured-data parameters. */
function junosParams(msg: SyslogMessage): Record<string, string> | undefined {
  const sd = msg.sd;
  if (!sd) return undefined;
  for (const id in sd) if (id.startsWith('junos@')) return sd[id];
  return undefined;
}

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const tagged = junosTagged(msg);
  if (!tagged) return NONE;
  const { tag, body, sd } = tagged;
  switch (tag) {
    case 'UI_CMDLINE_READ_LINE':
      return commandLine(msg, body, sd, ctx) ?? unknown(ctx, tag);
    case 'UI_CFG_AUDIT_SET':
    case 'UI_CFG_AUDIT_SET_SECRET':
    case 'UI_CFG_AUDIT_OTHER':
    case 'UI_CFG_AUDIT_NEW':
      return configAudit(msg, body, sd, ctx) ?? unknown(ctx, tag);
    case 'UI_COMMIT':
      return commit(msg, body, sd) ?? unknown(ctx, tag);
    case 'UI_NETCONF_CMD':
    case 'UI_JUNOSCRIPT_CMD':
      return clientCommand(msg, body, sd) ?? unknown(ctx, tag);
    case 'UI_LOGIN_EVENT':
      return loginEvent(msg, body, sd) ?? unknown(ctx, tag);
    case 'UI_LOGOUT_EVENT':
      return userSession(msg, sd?.username ?? /^User '([^']*)' logout/.exec(body)?.[1], 'logout') ?? unknown(ctx, tag);
    case 'UI_CLI_IDLE_TIMEOUT':
      return userSession(msg, sd?.username ?? /^Idle timeout for user '([^']*)'/.exec(body)?.[1], 'logout') ?? unknown(ctx, tag);
    case 'SSHD_LOGIN_FAILED':
      return sshdFailed(msg, body, sd) ?? NONE;
    default:
      if (!KNOWN.has(tag) && tag.startsWith('UI_')) ctx.unknown(`${PLATFORM}:${tag}`);
      return NONE;
  }
}

function unknown(ctx: RecogniseContext, tag: string): AaaRecord[] {
  ctx.unknown(`${PLATFORM}:${tag}`);
  return NONE;
}

const recentKey = (o: Origin, actor: string | undefined, change: AccountChange): string =>
  `${o.device}\u0000${actor ?? ''}\u0000${change.target}\u0000${change.action}`;

const classesOf = (ctx: RecogniseContext): SyslogClasses => ctx.state('login-classes', () => new SyslogClasses(CLASSES_MAX));

/** An account change with its class resolved against the device's classes (classes.ts), noting who holds which. */
function withClass(classes: SyslogClasses, device: string, change: AccountChange): AccountChange {
  if (change.action === 'account.delete') {
    classes.hold(device, change.target, undefined);
    return change;
  }
  if (change.role === undefined) return change;
  const role = classes.hold(device, change.target, change.role);
  // A class taken away names the value its grant recorded, then the user holds none.
  if (change.action === 'privilege.revoke') classes.hold(device, change.target, undefined);
  return { ...change, role };
}

/**
 * A `set`/`delete` under `system login class NAME`: the privilege changes of its holders when it
 * gains or loses `permissions all` (classes.ts), none otherwise.
 */
function classChanges(ctx: RecogniseContext, o: Origin, who: Who, verb: string, path: readonly string[], command?: string): AaaRecord[] {
  const cls = classPath(path);
  if (!cls) return NONE;
  return classesOf(ctx)
    .define(o.device, cls.name, verb, cls.rest)
    .map((h) => accountRecord(o, who, { action: 'privilege.change', target: h.user, role: h.role, technique: 'T1098' }, command));
}

function commandLine(msg: SyslogMessage, body: string, sd: Record<string, string> | undefined, ctx: RecogniseContext): AaaRecord[] | undefined {
  let user = sd?.username;
  let command = sd?.command;
  if (user === undefined || command === undefined) {
    const m = /^User '([^']*)', command '(.*)'\s*$/s.exec(body);
    if (!m) return undefined;
    user = m[1]!;
    command = m[2]!;
  }
  command = command.trim();
  const o = origin(msg, PLATFORM);
  // NETCONF requests are logged as `load-configuration rpc rpc load-configuration set …`; the
  // words are looked for before the expression runs, as a typed command rarely holds them.
  const rpc = command.includes(' rpc rpc ') ? /^(\S+) rpc rpc \1 ?(.*)$/s.exec(command) : null;
  const path: ChangePath = rpc ? 'netconf' : 'cli';
  const who: Who = { actor: user, path };
  const records: AaaRecord[] = [commandRecord(o, who, command)];
  const words = junosWords(rpc ? rpc[2]! : command);
  const levels = ctx.state('edit-levels', () => new EditLevels(EDIT_SESSIONS_MAX));
  const change = levels.follow(`${o.device}\u0000${msg.procId ?? user}`, words);
  const account = change && junosPathChange(change.verb, change.path);
  // A NETCONF load logs the audit lines before the command line: whichever comes second is a repeat.
  const recent = ctx.state('recent-changes', () => new RecentChanges(RECENT_WINDOW_MS, RECENT_MAX));
  if (account && !recent.repeat(recentKey(o, user, account), msg.time)) records.push(accountRecord(o, who, withClass(classesOf(ctx), o.device, account), command));
  // A class's grant changes once, whichever of the command line and its audit line comes first.
  if (change && !account) records.push(...classChanges(ctx, o, who, change.verb, change.path, command));
  return records;
}

function configAudit(msg: SyslogMessage, body: string, sd: Record<string, string> | undefined, ctx: RecogniseContext): AaaRecord[] | undefined {
  let user = sd?.username;
  let verb = sd?.action;
  let pathname = sd?.pathname;
  let value = sd?.value;
  const m = /^User '([^']*)' (\w+): \[([^\]]*)\]\s*(.*)$/s.exec(body);
  if (m) {
    user ??= m[1]!;
    verb ??= m[2]!;
    pathname ??= m[3]!;
    // `unconfigured -- "super-user"`, `"old -> "new"`: the new value is the last quoted word.
    value ??= /(?:--|->)\s*"?([^"]*)"?\s*$/.exec(m[4]!.slice(-512))?.[1];
  }
  if (user === undefined || verb === undefined || pathname === undefined) return undefined;
  const path = junosWords(pathname.replace(/^\[|\]$/g, ''));
  const change = junosPathChange(verb, path, value);
  const o = origin(msg, PLATFORM);
  if (!change) return classChanges(ctx, o, { actor: user }, verb, value === undefined ? path : [...path, value]);
  const recent = ctx.state('recent-changes', () => new RecentChanges(RECENT_WINDOW_MS, RECENT_MAX));
  if (recent.repeat(recentKey(o, user, change), msg.time)) return NONE;
  return [accountRecord(o, { actor: user }, withClass(classesOf(ctx), o.device, change))];
}

function commit(msg: SyslogMessage, body: string, sd: Record<string, string> | undefined): AaaRecord[] | undefined {
  const m = /^User '([^']*)' requested '([^']*)' operation/.exec(body);
  const user = sd?.username ?? m?.[1];
  const command = sd?.command ?? m?.[2];
  if (user === undefined || command === undefined) return undefined;
  return [commandRecord(origin(msg, PLATFORM), { actor: user }, command)];
}

function clientCommand(msg: SyslogMessage, body: string, sd: Record<string, string> | undefined): AaaRecord[] | undefined {
  const m = /^User '([^']*)' used (?:NETCONF|JUNOScript) client to run command '(.*)'\s*$/s.exec(body);
  const user = sd?.username ?? m?.[1];
  const command = sd?.command ?? m?.[2];
  if (user === undefined || command === undefined) return undefined;
  return [commandRecord(origin(msg, PLATFORM), { actor: user, path: 'netconf' }, command)];
}

const CLIENT_PATH = new Map<string, ChangePath>([
  ['cli', 'cli'], ['junoscript', 'netconf'], ['netconf', 'netconf'], ['xnm-ssl', 'netconf'], ['xnm-clear-text', 'netconf'], ['jweb', 'gui'],
]);

function loginEvent(msg: SyslogMessage, body: string, sd: Record<string, string> | undefined): AaaRecord[] | undefined {
  const user = sd?.username ?? /^User '([^']*)' login/.exec(body)?.[1];
  if (user === undefined) return undefined;
  const connection = sd?.['ssh-connection'] ?? /ssh-connection '([^']*)'/.exec(body)?.[1];
  const mode = sd?.['client-mode'] ?? /client-mode '([^']*)'/.exec(body)?.[1];
  const who: Who = {
    actor: user,
    // `ssh-connection '10.0.0.132 57238 10.0.0.1 22'`: client address and port, then the device's.
    actorAddress: address(connection?.split(' ')[0]),
    path: mode ? CLIENT_PATH.get(mode.toLowerCase()) : undefined,
  };
  return [sessionRecord(origin(msg, PLATFORM), who, 'login')];
}

function userSession(msg: SyslogMessage, user: string | undefined, action: 'logout'): AaaRecord[] | undefined {
  if (user === undefined) return undefined;
  return [sessionRecord(origin(msg, PLATFORM), { actor: user }, action)];
}

function sshdFailed(msg: SyslogMessage, body: string, sd: Record<string, string> | undefined): AaaRecord[] | undefined {
  const m = /^Login failed for user '([^']*)' from host '([^']*)'/.exec(body);
  const user = sd?.username ?? m?.[1];
  const host = sd?.['source-address'] ?? m?.[2];
  if (user === undefined) return undefined;
  return [sessionRecord(origin(msg, PLATFORM), { actor: user, actorAddress: address(host), path: 'cli' }, 'login.failed')];
}
