// FreeRADIUS: session start/stop from accounting (linelog's default `log_accounting` lines and
// detail files), and login results from radius.log. The records are about the NAS where the
// detail record names it; linelog's default lines do not, so they fall back to the sender.
// The ctime stamps of radius.log and detail records are the server's wall clock without a zone:
// they are read in the zone configured for the server (the sender), not the NAS.

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { address, sessionRecord, type Origin, type Who } from '../lib/record.js';
import { epochSecondsToIso, inDeviceZone, messageTime, recordTime, type Stamp } from '../lib/record-time.js';
import { claimsDetailFile, detailFileReader, readAuthLine, readDetail, readLinelog, type DetailRecord } from './lines.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'freeradius';

const PROGRAMS: ReadonlySet<string> = new Set(['radiusd', 'freeradius']);

/** RADIUS Service-Type values of network access (802.1X, MAB, VPN), not device administration. */
const NETWORK_ACCESS = new Set(['Framed-User', 'Call-Check']);

const isUpper = (c: number): boolean => c >= 65 && c <= 90;

function sender(msg: SyslogMessage): string {
  return msg.hostname ?? msg.source ?? 'unknown';
}

function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const s = msg.message;
  const c = s.charCodeAt(0);
  const ours = msg.appName !== undefined && PROGRAMS.has(msg.appName);
  if ((c === 67 && s.startsWith('Connect: [')) || (c === 68 && s.startsWith('Disconnect: ['))) return linelog(msg);
  // A ctime stamp (`Fri Dec 15 18:00:24 2000`) opens radius.log lines and detail records.
  const ctime = isUpper(c) && s.charCodeAt(3) === 32 && s.charCodeAt(7) === 32;
  if (ctime && s.charCodeAt(24) === 32 && s.charCodeAt(25) === 58) return auth(msg, ctx);
  if (ctime && (s.charCodeAt(24) === 10 || s.charCodeAt(24) === 9 || s.charCodeAt(24) === 35)) return detail(msg, ctx);
  if (!ours) return NONE;
  if (s.includes('Login OK: [') || s.includes('Login incorrect')) return auth(msg, ctx);
  return NONE;
}

function linelog(msg: SyslogMessage): AaaRecord[] {
  const l = readLinelog(msg.message);
  if (!l) return NONE;
  const o: Origin = { time: messageTime(msg), device: sender(msg), platform: PLATFORM };
  return [sessionRecord(o, { actor: l.user, actorAddress: address(l.cli), path: 'radius' }, l.action)];
}

/** The server's zoneless ctime stamp, read in the server's zone. */
function serverStamp(ms: number | undefined, msg: SyslogMessage, ctx: RecogniseContext): Stamp | undefined {
  return ms === undefined ? undefined : inDeviceZone({ ms, zoned: false }, ctx, msg.hostname, msg.source);
}

function auth(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const a = readAuthLine(msg.message);
  if (!a) return NONE;
  const o: Origin = {
    time: recordTime(msg, serverStamp(a.stamp, msg, ctx)),
    device: a.client ?? sender(msg),
    platform: PLATFORM,
  };
  return [sessionRecord(o, { actor: a.user, actorAddress: address(a.cli), path: 'radius' }, a.ok ? 'login' : 'login.failed')];
}

function detail(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const d = readDetail(msg.message);
  if (!d) {
    if (msg.message.includes('Acct-Status-Type')) ctx.unknown('freeradius-detail');
    return NONE;
  }
  return detailRecords(d, msg, ctx);
}

function detailRecords(d: DetailRecord, msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const a = d.attrs;
  const status = a['Acct-Status-Type'];
  const action = status === 'Start' ? 'session.start' : status === 'Stop' ? 'session.stop' : undefined;
  if (!action || NETWORK_ACCESS.has(a['Service-Type'] ?? '')) return NONE;
  // `Timestamp` is epoch seconds (exact); the ctime line is the server's local wall clock.
  const epoch = a.Timestamp !== undefined && /^\d{1,12}$/.test(a.Timestamp) ? epochSecondsToIso(Number(a.Timestamp)) : undefined;
  const o: Origin = {
    time: epoch ?? recordTime(msg, serverStamp(d.stamp, msg, ctx)),
    device: a['NAS-Identifier'] ?? a['NAS-IP-Address'] ?? a['NAS-IPv6-Address'] ?? sender(msg),
    platform: PLATFORM,
  };
  const who: Who = { actor: a['User-Name'], actorAddress: address(a['Calling-Station-Id']), path: 'radius' };
  return [sessionRecord(o, who, action, { session: a['Acct-Session-Id'] })];
}

export const freeradius: Platform = {
  id: 'freeradius',
  name: 'FreeRADIUS',
  recognise,
  // Offered: linelog lines, ctime-stamped radius.log lines and detail records (an English weekday first), the server's programs.
  offer: { texts: ['Connect: [', 'Disconnect: [', ...['Mon ', 'Tue ', 'Wed ', 'Thu ', 'Fri ', 'Sat ', 'Sun ']], programs: [...PROGRAMS] },
  importFormat: { claims: claimsDetailFile, reader: detailFileReader },
};
