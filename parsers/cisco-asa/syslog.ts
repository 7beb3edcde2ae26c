// Cisco ASA (and FTD, PIX, FWSM, which share the message catalogue) syslog: the local user
// database, command accounting, and management logins.
//
// Formats from the Cisco Secure Firewall ASA Series Syslog Messages guide (messages 111008-111010,
// 113xxx, 315011, 502101-502103, 605004-605005, 611101-611103), checked against real lines in
// test/corpus/syslog/cisco-asa/.
//
// Decisions, each to count one change or login once:
// - Account records come from the local-database messages 502101 (user added: `account.set`, since
//   Wazuh and operators report it for re-added users too) and 502102 (deleted), with the user who
//   did it from `Executed by:` when the release prints it. They state the outcome for every path
//   (CLI, ASDM, REST API). The guide prints `Priv:` and `Encpass:` in both; a level is kept only
//   when it is a number (Wazuh's and FTD's tests carry the guide's placeholders), and a delete
//   needs none. The command messages 111008/111009/111010 report the same configuration command
//   up to three times, so they yield command records only. 502101 names no path and no address:
//   attribution takes them from the same change's 111010 (same actor, within a minute, its
//   command naming the user: src/reconcile/attribution.ts), which says `running 'ASDM'` and from where.
// - 502103 (`User priv level changed: Uname: U From: a To: b`) is a session raised to another level
//   (`enable`, `login`), not a change to the account: the guide logs it for every `enable`. It
//   yields a `session.start` at the new level, for named users and for `enable_<n>` (ASA's
//   pseudo-user for a session raised with the enable password and no enable authentication) alike.
// - 605004/605005 (login denied/permitted) and 611101/611102 (management authentication) are the
//   login records the issue names; 611103, 315011 and 113021 are logouts and a console refusal.
//   The other 113xxx messages are AAA-server transactions for any service (VPN, cut-through
//   proxy, management) and do not say a user logged in to the device: they yield nothing.
// - The message id is read wherever the header put it: the tag (of a legacy header, or the
//   `%ASA-5-502101: ` opening an RFC 5424 MSG, which src/ingest/header.ts reads as a tag too: FTD's
//   and ASA's `logging ... rfc5424`, a relay re-framing the line), or the MSGID: the same message
//   yields the same record.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { accountRecord, address, commandRecord, origin, sessionRecord } from '../lib/record.js';

const PLATFORM = 'cisco-asa';
const NONE: AaaRecord[] = [];

/** The six-digit message id of an `ASA-5-502101`, `FTD-session-4-106023`, `ASA-auth-4-113004` tag. */
function messageId(tag: string): string | undefined {
  const c = tag.charCodeAt(0);
  if (c !== 65 && c !== 70 && c !== 80) return undefined;
  if (!tag.startsWith('ASA-') && !tag.startsWith('FTD-') && !tag.startsWith('PIX-') && !tag.startsWith('FWSM-')) return undefined;
  const id = tag.slice(-6);
  return tag.charCodeAt(tag.length - 7) === 45 ? id : undefined;
}

const FAMILY = ['ASA-', 'FTD-', 'PIX-', 'FWSM-'];

// Offered: the ASA family's tags (messageId), and the same as an RFC 5424 MSGID.
export const offer: Offer = { tags: FAMILY, msgIds: FAMILY };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  if (msg.tag !== undefined) return recogniseTagged(msg, msg.tag, msg.message, ctx);
  return msg.msgId !== undefined ? recogniseTagged(msg, msg.msgId, msg.message, ctx) : NONE;
}

function recogniseTagged(msg: SyslogMessage, tag: string, body: string, ctx: RecogniseContext): AaaRecord[] {
  // Ids of interest start 11, 31, 50, 60 or 61: compare two digits before slicing anything, so
  // the connection chatter (302013, 106023, 313001 …) costs two character reads.
  const d1 = tag.charCodeAt(tag.length - 6);
  const d2 = tag.charCodeAt(tag.length - 5);
  const wanted = d1 === 49 || d1 === 51 ? d2 === 49 : d1 === 53 ? d2 === 48 : d1 === 54 && (d2 === 48 || d2 === 49);
  if (!wanted) return NONE;
  const id = messageId(tag);
  if (id === undefined) return NONE;
  const records = readMessage(msg, id, body);
  if (records === undefined) return NONE;
  // A message of the catalogue read here that its grammar did not fit is counted and kept (the
  // pipeline keeps a line that names an unknown type), not passed over as if it were chatter.
  if (records === NONE) ctx.unknown(`${PLATFORM}:${id}`);
  return records;
}

/** The records of a message of the catalogue (NONE where its text does not fit its grammar); undefined for any other. */
function readMessage(msg: SyslogMessage, id: string, body: string): AaaRecord[] | undefined {
  // A quoted name may hold its quote (`User 'o'brien' executed …`, `for user "a"b"`): the fixed
  // text after it ends the name, where `[^']*` read no record from the line at all.
  switch (id) {
    case '111008':
      return command(msg, /^User '(.*?)' executed the '(.*)' command\.?\s*$/s.exec(body));
    case '111009':
      return command(msg, /^User '(.*?)' executed cmd: ?(.*)$/s.exec(body));
    case '111010':
      return command111010(msg, body);
    case '502101':
    case '502102':
      return localDatabase(msg, body, id === '502101');
    case '502103':
      return privilegeChanged(msg, body);
    case '605004':
    case '605005':
      return login605(msg, body, id === '605005');
    case '611101':
    case '611102':
      return login611(msg, body, id === '611101');
    case '611103':
      return simpleSession(msg, /^User logged out: Uname: (\S+)/.exec(body), undefined, 'logout');
    case '113021':
      return simpleSession(msg, /^Attempted console login failed\.? [Uu]ser '?([^' ]+)'? did NOT have appropriate Admin Rights/.exec(body), 'cli', 'login.failed');
    case '315011':
      return sshTerminated(msg, body);
    default:
      return undefined;
  }
}

function command(msg: SyslogMessage, m: RegExpExecArray | null): AaaRecord[] {
  if (!m) return NONE;
  return [commandRecord(origin(msg, PLATFORM), { actor: m[1] }, m[2]!.trim())];
}

/**
 * The path of 111010's `running '…'` application: `CLI` (SSH, Telnet, console); `ASDM`, the GUI
 * over HTTPS, as the web GUI path `gui` (as 605005's https logins); the REST API agent and Cisco
 * Security Manager (`CSM`), programs that push commands over the HTTPS management interface, as
 * `rest`. Anything else (`N/A`, printed for commands the device ran itself) names no path.
 */
function applicationPath(application: string): ChangePath | undefined {
  const app = application.trim().toLowerCase();
  if (app === 'cli') return 'cli';
  if (app.includes('asdm')) return 'gui';
  if (app.includes('rest') || app === 'csm') return 'rest';
  return undefined;
}

function command111010(msg: SyslogMessage, body: string): AaaRecord[] {
  const m = /^User '(.*?)', running '([^']*)' from IP (\S+), executed '(.*)'\s*$/s.exec(body);
  if (!m) return NONE;
  return [commandRecord(origin(msg, PLATFORM), { actor: m[1], actorAddress: address(m[3]), path: applicationPath(m[2]!) }, m[4]!.trim())];
}

const numeric = (v: string | undefined): string | undefined => (v !== undefined && /^\d{1,3}$/.test(v) ? v : undefined);

function localDatabase(msg: SyslogMessage, body: string, added: boolean): AaaRecord[] {
  if (!body.startsWith(added ? 'New user added to local dbase: ' : 'User deleted from local dbase: ')) return NONE;
  // The guide prints `Uname:` and `Priv:`; some releases and their documentation spell them out
  // (`Username: X Privilege: 15`): the same fields.
  const user = /\b(?:Uname|Username): (\S+)/.exec(body)?.[1];
  if (user === undefined) return NONE;
  const actor = /\bExecuted by: (\S+)/.exec(body)?.[1];
  const change = added
    ? { action: 'account.set' as const, target: user, privilege: numeric(/\b(?:Priv|Privilege): (\S+)/.exec(body)?.[1]), technique: 'T1136.001' as const }
    : { action: 'account.delete' as const, target: user, technique: 'T1531' as const };
  return [accountRecord(origin(msg, PLATFORM), { actor }, change)];
}

function privilegeChanged(msg: SyslogMessage, body: string): AaaRecord[] {
  const m = /^User priv level changed: Uname: (\S+)(?: From: \S+)? To: (\S+)/.exec(body);
  if (!m) return NONE;
  return [sessionRecord(origin(msg, PLATFORM), { actor: m[1] }, 'session.start', { privilege: numeric(m[2]) })];
}

const SERVICE_PATH = new Map<string, ChangePath>([['ssh', 'cli'], ['telnet', 'cli'], ['serial', 'cli'], ['https', 'gui'], ['http', 'gui']]);

function login605(msg: SyslogMessage, body: string, permitted: boolean): AaaRecord[] {
  // A console login names no address: `Login permitted from serial to console for user "x"`.
  const serial = /^Login (?:permitted|denied) from serial to console for user "(.*)"/.exec(body);
  if (serial) return [sessionRecord(origin(msg, PLATFORM), { actor: /^\*+$/.test(serial[1]!) ? undefined : serial[1], path: 'cli' }, permitted ? 'login' : 'login.failed')];
  const m = /^Login (?:permitted|denied) from ([^/\s]+)\/\d+ to [^:\s]+:[^/\s]+\/(\S+) for user "(.*)"/.exec(body);
  if (!m) return NONE;
  // A denied login is logged with the name masked (`*****`) unless the name was valid.
  const user = /^\*+$/.test(m[3]!) ? undefined : m[3];
  const path = SERVICE_PATH.get(m[2]!.toLowerCase());
  return [sessionRecord(origin(msg, PLATFORM), { actor: user, actorAddress: address(m[1]), path }, permitted ? 'login' : 'login.failed')];
}

function login611(msg: SyslogMessage, body: string, succeeded: boolean): AaaRecord[] {
  // Older releases (and FWSM) print no address: `User authentication succeeded: Uname: x`.
  const m = /^User authentication (?:succeeded|failed): (?:(?:IP address: |IP = )([^,\s]+), )?Uname: (\S+)/.exec(body);
  if (!m) return NONE;
  return [sessionRecord(origin(msg, PLATFORM), { actor: m[2], actorAddress: address(m[1]) }, succeeded ? 'login' : 'login.failed')];
}

function simpleSession(msg: SyslogMessage, m: RegExpExecArray | null, path: ChangePath | undefined, action: 'logout' | 'login.failed'): AaaRecord[] {
  if (!m) return NONE;
  return [sessionRecord(origin(msg, PLATFORM), { actor: m[1], path }, action)];
}

function sshTerminated(msg: SyslogMessage, body: string): AaaRecord[] {
  const m = /^SSH session from (\S+) on interface \S+ for user "(.*?)" terminated/.exec(body);
  if (!m) return NONE;
  return [sessionRecord(origin(msg, PLATFORM), { actor: m[2], actorAddress: address(m[1]), path: 'cli' }, 'logout')];
}
