// SonicWall SonicOS syslog: `id=NAME sn=SERIAL time="…" fw=IP pri=N c=N m=ID msg="…" … src=IP:PORT:IF`.
// Only administrator logins are read, by message id (SonicOS log event reference):
//   m=29  Administrator login allowed                       (usr="NAME" where the release names the user)
//   m=30  Administrator login denied due to bad credentials (corpus: wazuh-SonicWall.ini.relevant line 8)
// Everything else (connections, NAT, VPN, content filter) is traffic.

import type { AaaRecord, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { readKeyValues } from '../lib/kv.js';
import { address, origin, sessionRecord } from '../lib/record.js';

const PLATFORM = 'sonicwall-sonicos';
const NONE: AaaRecord[] = [];

const LOGIN: Readonly<Record<string, 'login' | 'login.failed'>> = { '29': 'login', '30': 'login.failed' };

// Offered: key=value lines opening with the id.
export const offer: Offer = { texts: ['id='] };

export function recognise(msg: SyslogMessage, _ctx: RecogniseContext): AaaRecord[] {
  const text = msg.message;
  if (text.charCodeAt(0) !== 105 /* i */ || !text.startsWith('id=')) return NONE;
  // The id comes early in every line; checked before the line is read into pairs.
  const m = / m=(\d{1,5}) /.exec(text.slice(0, 200));
  if (!m || !(m[1]! in LOGIN)) return NONE;
  const kv = readKeyValues(text);
  const action = LOGIN[kv['m'] ?? ''];
  if (!action) return NONE;
  const o = origin(msg, PLATFORM, { device: kv['id'] });
  const src = kv['src']?.split(':')[0];
  return [sessionRecord(o, { actor: kv['usr'] || kv['user'] || undefined, actorAddress: address(src) }, action)];
}
