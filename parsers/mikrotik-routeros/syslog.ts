// MikroTik RouterOS syslog: management logins, logouts and failed logins (topics
// `system,info,account` and `system,error,critical`). RouterOS sends a remote log line in one of two
// forms (forum.mikrotik.com thread 124291, lines as users received them; MikroTik's Log manual):
//   bsd-syslog=no:  system,info,account user admin logged in from 192.168.2.3 via winbox
//   bsd-syslog=yes: <30>Apr 11 14:17:05 HOST user admin logged in from 192.168.2.3 via winbox
// the first with its topics and no header, the second with a header and no topics. The messages:
//   user NAME logged in from ADDRESS via SERVICE      (ADDRESS left out for a local login)
//   user NAME logged out from ADDRESS via SERVICE
//   login failure for user NAME from ADDRESS via SERVICE
// SERVICE is how the user came: `winbox` and `web` (WebFig) are the GUI, `ssh`, `telnet`, `local`
// (the console) the CLI, `api` and `api-ssl` the API.
//
// A configuration change is logged under `system,info` as the thing changed, a verb and who changed
// it (MikroTik's Log manual: `mangle rule changed by admin`); RouterOS 7 names the service, the
// address and the command too (test/corpus/syslog/mikrotik-routeros):
//   filter rule added by ssh:aether@10.1.1.2 (*22 = /ip firewall filter add action=accept chain=input …)
//   user ops added by ssh:-2@172.31.88.5 (*2 = /user add group=full name=ops)
//   user ops removed by ssh:-2@172.31.88.5/action:0 (/user remove *2)
// A change to a `/user` names the account after `user`: it yields the command and an account record
// (added: made, in the `group=` given; removed: deleted; changed: the group given is a privilege
// change, a password a password change, anything else a modification). Changes to other things are
// not read: in the bsd-syslog form they open with the thing's own name, which no offer can name.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SessionAction, SyslogMessage } from '../../src/types.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type AccountChange } from '../lib/record.js';

const PLATFORM = 'mikrotik-routeros';
const NONE: AaaRecord[] = [];

// Offered: the messages themselves (bsd-syslog), and the topics that carry them (without it).
export const offer: Offer = { texts: ['user ', 'login failure for user ', 'system,'] };

/** The topics RouterOS puts before a message when not in bsd-syslog form: `system,info,account `. */
const TOPICS = /^system(?:,[a-z-]{1,16}){1,4} /;
const SESSION = /^(?:user (\S{1,256}) logged (in|out)(?: from (\S{1,64}))? via (\S{1,32})|login failure for user (\S{0,256}) from (\S{1,64}) via (\S{1,32}))$/;

const SERVICE_PATH: Readonly<Record<string, ChangePath>> = {
  winbox: 'gui', web: 'gui', ssh: 'cli', telnet: 'cli', local: 'cli', console: 'cli', serial: 'cli', api: 'rest', 'api-ssl': 'rest',
};

export function recognise(msg: SyslogMessage, _ctx: RecogniseContext): AaaRecord[] {
  let text = msg.message;
  const c = text.charCodeAt(0);
  if (c === 115 /* s */) {
    const topics = TOPICS.exec(text);
    if (!topics) return NONE;
    text = text.slice(topics[0].length);
  } else if (c !== 117 /* u */ && c !== 108 /* l */) {
    return NONE;
  }
  const m = SESSION.exec(text.trimEnd());
  if (!m) return c === 108 /* l */ ? NONE : userChange(msg, text.trimEnd());
  const failed = m[5] !== undefined;
  const action: SessionAction = failed ? 'login.failed' : m[2] === 'in' ? 'login' : 'logout';
  const service = (failed ? m[7] : m[4])!.toLowerCase();
  const who = { actor: (failed ? m[5] : m[1]) || undefined, actorAddress: address(failed ? m[6] : m[3]), path: SERVICE_PATH[service] };
  return [sessionRecord(origin(msg, PLATFORM), who, action)];
}

/**
 * `user NAME VERB by WHO[ (COMMAND)]`. WHO is the user alone (RouterOS 6) or
 * `SERVICE:USER@ADDRESS[/action:N]` (RouterOS 7); COMMAND is `*ID = /user add …` for an addition.
 * The `/user` submenus (group, ssh-keys, aaa, settings, active) are not accounts.
 */
const USER_CHANGE = /^user (\S{1,256}) (added|changed|removed|enabled|disabled) by (\S{1,512})(?: \((?:\*[0-9A-Fa-f]{1,8} = )?(.{0,4096})\))?$/;
const SUBMENU = new Set(['group', 'ssh-keys', 'aaa', 'settings', 'active']);
/** `ssh:aether@10.1.1.2/action:0`, `tcp-msg(winbox):admin@10.0.0.9`: a service, a user, an address. */
const BY = /^(?:([^:@]{1,64}):)?(.{1,256}?)(?:@([0-9A-Fa-f.:]{2,64}))?(?:\/action:\d{1,10})?$/;

function userChange(msg: SyslogMessage, text: string): AaaRecord[] {
  const m = USER_CHANGE.exec(text);
  if (!m || SUBMENU.has(m[1]!)) return NONE;
  const by = BY.exec(m[3]!);
  if (!by) return NONE;
  const command = m[4]?.trim() || undefined;
  // A command names the account's menu; one of another menu is not an account change.
  if (command !== undefined && !/^\/user (?:add|set|remove|enable|disable|comment)\b/.test(command)) return NONE;
  const service = by[1] === undefined ? undefined : serviceOf(by[1]);
  const who = { actor: by[2], actorAddress: address(by[3]), path: service === undefined ? undefined : SERVICE_PATH[service] };
  const o = origin(msg, PLATFORM);
  const change = accountChange(m[1]!, m[2]!, command);
  const typed = command ?? text;
  return [commandRecord(o, who, typed), accountRecord(o, who, change, typed)];
}

/** `tcp-msg(winbox)` → `winbox`, `ssh` → `ssh`: the client named in parentheses, else the service. */
function serviceOf(service: string): string {
  const inner = /\(([^()]{1,32})\)$/.exec(service);
  return (inner ? inner[1]! : service).toLowerCase();
}

function accountChange(target: string, verb: string, command: string | undefined): AccountChange {
  const group = command === undefined ? undefined : /(?:^|\s)group=("[^"]{1,256}"|\S{1,256})/.exec(command)?.[1]?.replace(/^"|"$/g, '');
  if (verb === 'added') return { action: 'account.create', target, role: group, technique: 'T1136.001' };
  if (verb === 'removed') return { action: 'account.delete', target, technique: 'T1531' };
  if (group !== undefined) return { action: 'privilege.change', target, role: group, technique: 'T1098' };
  if (command !== undefined && /(?:^|\s)password=/.test(command)) return { action: 'password.change', target, technique: 'T1098' };
  return { action: 'account.modify', target, technique: 'T1098' };
}
