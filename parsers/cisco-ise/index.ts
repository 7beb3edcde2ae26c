// Cisco Identity Services Engine: TACACS+ device administration (command accounting, session
// start/stop), RADIUS accounting, and passed/failed authentications, as ISE's remote syslog
// targets send them. The records are about the network device that asked ISE (the NAS named in
// NetworkDeviceName), not about ISE itself; but for its administrative audit: the internal users
// the devices' logins are checked against, and ISE's own CLI administrators, made and removed.

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { readSegment, Reassembler } from './segments.js';
import { nasOf, readIseMessage } from './fields.js';
import { iseRecords } from './records.js';

const NONE: AaaRecord[] = [];

/** The categories aaawatch reads; ISE sends many more (profiler, posture, system). */
const CATEGORIES: ReadonlySet<string> = new Set([
  'CISE_TACACS_Accounting', 'CISE_RADIUS_Accounting', 'CISE_Passed_Authentications', 'CISE_Failed_Attempts',
  'CISE_Administrative_and_Operational_Audit',
]);

/** `CISE_x` and the text after it: in the body (RFC 3164 without a colon) or as the APP-NAME. */
function split(msg: SyslogMessage): [string, string] | undefined {
  const app = msg.appName;
  if (app !== undefined && app.charCodeAt(0) === 67 && app.startsWith('CISE_')) return [app, msg.message];
  const body = msg.message;
  if (body.charCodeAt(0) !== 67 || !body.startsWith('CISE_')) return undefined;
  const sp = body.indexOf(' ');
  return sp < 0 ? undefined : [body.slice(0, sp), body.slice(sp + 1)];
}

function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const parts = split(msg);
  if (!parts || !CATEGORIES.has(parts[0])) return NONE;
  const [category, rest] = parts;
  const seg = readSegment(category, rest);
  if (!seg) {
    ctx.unknown(category);
    return NONE;
  }
  const segments = ctx.state('segments', () => new Reassembler());
  const key = `${msg.hostname ?? msg.source ?? ''}\u0000${category}\u0000${seg.id}`;
  // A message given up is counted against its NAS when the segments that came name it.
  const whole = segments.add(key, seg, msg.receivedAt, (c, text) => ctx.unknown(`${c}:incomplete`, nasOf(text)));
  if (whole === undefined) return NONE;
  const ise = readIseMessage(whole);
  if (!ise) {
    ctx.unknown(category, nasOf(whole));
    return NONE;
  }
  return iseRecords(category, ise, msg);
}

export const ciscoIse: Platform = {
  id: 'cisco-ise',
  name: 'Cisco ISE',
  recognise,
  // Offered: the categories, as the program or opening the text.
  offer: { programs: ['CISE_'], texts: ['CISE_'] },
};
