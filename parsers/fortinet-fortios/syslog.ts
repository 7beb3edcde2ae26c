// Fortinet FortiOS event logs (key=value): changes to administrators (`system.admin`,
// `system.api-user`), local users (`user.local`) and user groups (`user.group`), and
// administrator logins.
//
// Formats, from the FortiOS Log Message Reference and Fortinet's article "Difference between
// logid 0100044547 and 0100044546" (community.fortinet.com, article 387138):
//   logid="0100044547" … logdesc="Object attribute configured" user="x" ui="GUI(10.1.1.1)"
//     action="Add" cfgpath="system.admin" cfgobj="bob" cfgattr="accprofile[prof_admin]vdom[root]…" msg="Add system.admin bob"
//   … action="Edit" … cfgattr="accprofile[prof_admin->super_admin]"      (an edited attribute: old->new)
//   logid="0100032001" … logdesc="Admin login successful" user="x" ui="https(10.1.1.1)" srcip=… action="login" status="success"
//   logid="0100032002" … logdesc="Admin login failed" … action="login" status="failed"
// The corpus holds a real administrator creation (CVE-2024-55591, Fortinet PSIRT FG-IR-24-535).
//
// The same events in the CEF rendering (`set format cef`), as FortiOS 6.0 to 7.x write it: the
// FortiOS fields under a vendor prefix (`FTNTFGTcfgpath=`, `FortinetFortiGatelogid=`; `ad.` when a
// FortiAnalyzer forwards them), and the common ones under CEF's names (`duser` for user, `sproc`
// for ui, `act` for action, `outcome` for status, `src` for srcip, `dvchost` for devname,
// `cat=event:system` for type and subtype); read back into the key=value names and handled alike:
//   CEF:0|Fortinet|Fortigate|v6.0.3|32002|event:system login failed|7|… FTNTFGTlogdesc=Admin login failed
//     duser=user1 sproc=https(172.16.200.254) … act=login outcome=failed …   (corpus, Sekoia's tests)
//   … cat=event:system FTNTFGTlogdesc=Object attribute configured act=Edit FTNTFGTcfgpath=firewall.policy
//     FTNTFGTcfgobj=21 FTNTFGTcfgattr=status[enable->disable] duser=admin sproc=jsconsole(198.51.100.25)
//
// `ui` says how the administrator was connected: `GUI(ip)`/`https(ip)` → gui, `jsconsole(ip)` (the
// GUI's CLI console), `ssh(ip)`, `telnet(ip)`, `console` → cli, REST API → rest. FortiManager
// pushes (`fgfm_tunnel`) carry no path. A Fortinet `Add` states a creation, so it is
// `account.create`, not the provisional `account.set`.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { readCef } from '../lib/cef.js';
import { readKeyValues } from '../lib/kv.js';
import { objectChange } from '../lib/fortios-changes.js';
import { accountRecord, address, origin, sessionRecord, type Origin, type Who } from '../lib/record.js';
import { inDeviceZone } from '../lib/record-time.js';
import { dateTimeWall, dateTimeZone, epochAnyUnit } from '../lib/stamp.js';

const PLATFORM = 'fortinet-fortios';
const NONE: AaaRecord[] = [];

const CFGATTR_MAX = 4096;

/** Configuration paths that hold accounts: administrators, REST API administrators, local users. */
const ACCOUNT_PATHS = new Set(['system.admin', 'system.api-user', 'user.local']);

const CEF_FORTINET = 'CEF:0|Fortinet|';

// Offered: key=value lines, whose first key is lower case, and Fortinet's CEF lines.
export const offer: Offer = { texts: [...'abcdefghijklmnopqrstuvwxyz', CEF_FORTINET] };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const t = msg.message;
  // FortiOS lines are key=value from the first character (`date=`, `type=`, `logid=`, `devname=`).
  const c = t.charCodeAt(0);
  if (c === 67 /* C */) return t.startsWith(CEF_FORTINET) ? fromCef(msg, t, ctx) : NONE;
  if (c < 97 || c > 122) return NONE;
  const eq = t.indexOf('=');
  if (eq < 2 || eq > 16) return NONE;
  // Administrator changes and logins are all `subtype="system"`; traffic and UTM logs stop here.
  const sub = t.indexOf('subtype=');
  if (sub < 0 || !(t.startsWith('"system"', sub + 8) || t.startsWith('system ', sub + 8))) return NONE;
  const kv = readKeyValues(t);
  if (kv.type !== undefined && kv.type !== 'event') return NONE;
  return fromEvent(msg, kv, ctx);
}

/** CEF's own names for the FortiOS fields read here (FortiOS Log Message Reference, CEF mapping). */
const CEF_NAMES: Readonly<Record<string, string>> = {
  duser: 'user', sproc: 'ui', act: 'action', outcome: 'status', src: 'srcip', dvchost: 'devname', msg: 'msg', reason: 'reason',
};
/** The prefixes FortiOS puts before its own field names in CEF (6.0, later releases, FortiAnalyzer). */
const CEF_PREFIXES = ['FTNTFGT', 'FortinetFortiGate', 'ad.'];

function fromCef(msg: SyslogMessage, text: string, ctx: RecogniseContext): AaaRecord[] {
  // The subtype decides before the line is read, as for key=value: `cat=event:system`, or `cat=event` and a `subtype=system` field.
  if (!text.includes('system')) return NONE;
  const cef = readCef(text);
  // `Fortigate`, `FortiGate-1000C` (the model, when a FortiAnalyzer forwards); not FortiMail, FortiWeb….
  if (!cef || !/^fortigate/i.test(cef.product)) return NONE;
  const kv: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(cef.extension)) {
    const prefix = CEF_PREFIXES.find((p) => key.startsWith(p) && key.length > p.length);
    const name = prefix ? key.slice(prefix.length) : CEF_NAMES[key];
    // A field said twice (`act=` and `FortinetFortiGateaction=`) keeps its first value; an empty one says nothing.
    if (name !== undefined && value !== '') kv[name] ??= value;
  }
  const [catType, catSubtype] = (cef.extension.cat ?? '').split(':');
  if ((kv.type ?? catType) !== 'event' || (kv.subtype ?? catSubtype) !== 'system') return NONE;
  return fromEvent(msg, kv, ctx);
}

/** An event log's fields, read alike from either rendering: account and group changes, logins. */
function fromEvent(msg: SyslogMessage, kv: Record<string, string>, ctx: RecogniseContext): AaaRecord[] {
  const cfgpath = kv.cfgpath;
  if (cfgpath !== undefined) {
    if (cfgpath === 'user.group') return groupChange(msg, kv, ctx);
    if (ACCOUNT_PATHS.has(cfgpath)) return accountChange(msg, kv, ctx);
    return NONE;
  }
  if (kv.action === 'login' || kv.action === 'logout') return adminSession(msg, kv, ctx);
  return NONE;
}

/** `ui` → path and address: `GUI(10.1.1.1)`, `jsconsole(127.0.0.1)`, `ssh(…)`, `console`, `REST API(…)`. */
function uiWho(kv: Record<string, string>): Who {
  const ui = kv.ui ?? '';
  const m = /^([^(]*)(?:\(([^)]*)\))?$/.exec(ui);
  const kind = (m?.[1] ?? '').trim().toLowerCase();
  let path: ChangePath | undefined;
  if (kind === 'gui' || kind === 'https' || kind === 'http') path = 'gui';
  else if (kind === 'jsconsole' || kind === 'ssh' || kind === 'telnet' || kind === 'console' || kind === 'cli') path = 'cli';
  else if (kind.includes('rest') || kind.includes('api')) path = 'rest';
  return { actor: kv.user, actorAddress: address(m?.[2]) ?? address(kv.srcip), path };
}

function bodyOrigin(msg: SyslogMessage, kv: Record<string, string>, ctx: RecogniseContext): Origin {
  return origin(msg, PLATFORM, { time: bodyTime(msg, kv, ctx), device: kv.devname });
}

/**
 * The event time the line states (used when the syslog header has none, as FortiOS sends it):
 * `eventtime`, else `date`/`time` in `tz`. Older releases write neither `eventtime` nor `tz`; their
 * `date`/`time` is the FortiGate's wall clock, read in the zone configured for the device.
 */
function bodyTime(msg: SyslogMessage, kv: Record<string, string>, ctx: RecogniseContext): number | undefined {
  const exact = epochAnyUnit(kv.eventtime) ?? dateTimeZone(kv.date, kv.time, kv.tz);
  if (exact !== undefined || kv.tz !== undefined || msg.timeQuality !== 'received') return exact;
  const wall = dateTimeWall(kv.date, kv.time);
  return wall === undefined ? undefined : inDeviceZone({ ms: wall, zoned: false }, ctx, msg.hostname ?? kv.devname, msg.source)?.ms;
}

/** `name[a]password[*]accprofile[x->y]`: attribute → value text (one level of brackets nests). */
export function readCfgattr(cfgattr: string): Map<string, string> {
  const out = new Map<string, string>();
  // FortiOS caps the field at 4096 characters; a longer one is not FortiOS, and the bound keeps
  // the nested-bracket pattern linear on hostile input.
  const text = cfgattr.length > CFGATTR_MAX ? cfgattr.slice(0, CFGATTR_MAX) : cfgattr;
  const re = /([\w.-]+)\[((?:[^[\]]|\[[^\]]*\])*)\]/g;
  for (let m = re.exec(text); m !== null && out.size < 200; m = re.exec(text)) out.set(m[1]!, m[2]!);
  return out;
}

function accountChange(msg: SyslogMessage, kv: Record<string, string>, ctx: RecogniseContext): AaaRecord[] {
  const target = kv.cfgobj;
  if (!target) return NONE;
  const change = objectChange(kv.action, target, readCfgattr(kv.cfgattr ?? ''));
  if (!change) {
    ctx.unknown(`${PLATFORM}:${kv.cfgpath}:${kv.action ?? ''}`);
    return NONE;
  }
  return [accountRecord(bodyOrigin(msg, kv, ctx), uiWho(kv), change)];
}


const members = (text: string | undefined): string[] =>
  (text ?? '').match(/"[^"]*"|\S+/g)?.map((x) => x.replace(/^"|"$/g, '')) ?? [];

function groupChange(msg: SyslogMessage, kv: Record<string, string>, ctx: RecogniseContext): AaaRecord[] {
  const group = kv.cfgobj;
  const member = readCfgattr(kv.cfgattr ?? '').get('member');
  if (!group || member === undefined || (kv.action !== 'Add' && kv.action !== 'Edit')) return NONE;
  const arrow = member.indexOf('->');
  const before = new Set(arrow < 0 ? [] : members(member.slice(0, arrow)));
  const after = new Set(members(arrow < 0 ? member : member.slice(arrow + 2)));
  const o = bodyOrigin(msg, kv, ctx);
  const who = uiWho(kv);
  const out: AaaRecord[] = [];
  for (const name of after) {
    if (!before.has(name)) out.push(accountRecord(o, who, { action: 'group.add_member', target: name, group, technique: 'T1098.007' }));
  }
  for (const name of before) {
    if (!after.has(name)) out.push(accountRecord(o, who, { action: 'group.remove_member', target: name, group, technique: 'T1098.007' }));
  }
  return out;
}

function adminSession(msg: SyslogMessage, kv: Record<string, string>, ctx: RecogniseContext): AaaRecord[] {
  if (!kv.user) return NONE;
  const action = kv.action === 'logout' ? 'logout' : kv.status === 'success' ? 'login' : kv.status === 'failed' ? 'login.failed' : undefined;
  if (!action) return NONE;
  return [sessionRecord(bodyOrigin(msg, kv, ctx), uiWho(kv), action)];
}
