// SonicWall SonicOS syslog: `id=NAME sn=SERIAL time="…" fw=IP pri=N c=N m=ID msg="…" … src=IP:PORT:IF`.
// Only administrator logins and logouts are read, by message id (SonicOS log event reference; real
// lines in test/corpus/syslog/sonicwall-sonicos):
//   m=29   Administrator login allowed                       (usr="NAME" where the release names the user)
//   m=30   Administrator login denied due to bad credentials
//   m=262  Administrator logged out - inactivity timer expired
//   m=998  GUI administration session ended
// `sess="Web"` is the management web interface. Everything else (connections, NAT, VPN, content
// filter, the configuration-mode session messages 994/995) is not read.
//
// `id=` is the firewall's syslog name, `firewall` unless an administrator set one: that default
// names no device, so the sender's address does. `time=` is the firewall's own clock with its year,
// `UTC` after it when the firewall logs in UTC, else its local time: it dates the record unless the
// header's stamp said its year and zone (SonicOS sends no header stamp by default; a relay's or a
// collector's has no year, guessed from the receive time: an imported 2022 file read as 2026).

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { readKeyValues } from '../lib/kv.js';
import { address, origin, sessionRecord } from '../lib/record.js';
import { inDeviceZone, parseIsoLike, recordTime, type Stamp } from '../lib/record-time.js';

const PLATFORM = 'sonicwall-sonicos';
const NONE: AaaRecord[] = [];

const SESSION: Readonly<Record<string, 'login' | 'login.failed' | 'logout'>> = { '29': 'login', '30': 'login.failed', '262': 'logout', '998': 'logout' };

// Offered: key=value lines opening with the id.
export const offer: Offer = { texts: ['id='] };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const text = msg.message;
  if (text.charCodeAt(0) !== 105 /* i */ || !text.startsWith('id=')) return NONE;
  // The id comes early in every line; checked before the line is read into pairs.
  const m = / m=(\d{1,5}) /.exec(text.slice(0, 200));
  if (!m || !(m[1]! in SESSION)) return NONE;
  const kv = readKeyValues(text);
  const action = SESSION[kv['m'] ?? ''];
  if (!action) return NONE;
  const name = kv['id'] && kv['id'].toLowerCase() !== 'firewall' ? kv['id'] : undefined;
  const stamp = inDeviceZone(firewallTime(kv['time']), ctx, msg.hostname ?? name, msg.source);
  const o = { ...origin(msg, PLATFORM, { device: name }), time: recordTime(msg, stamp) };
  const src = kv['src']?.split(':')[0];
  const path: ChangePath | undefined = kv['sess']?.toLowerCase() === 'web' ? 'gui' : undefined;
  return [sessionRecord(o, { actor: kv['usr'] || kv['user'] || undefined, actorAddress: address(src), path }, action)];
}

/** `2019-03-14 16:37:19 UTC` (zoned) or `2022-04-27 10:24:23` (the firewall's wall clock). */
function firewallTime(time: string | undefined): Stamp | undefined {
  if (time === undefined) return undefined;
  if (time.endsWith(' UTC')) {
    const s = parseIsoLike(time.slice(0, -4));
    return s && { ms: s.ms, zoned: true };
  }
  return parseIsoLike(time);
}
