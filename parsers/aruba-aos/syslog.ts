// ArubaOS syslog: `<ID> <pid> <SEVERITY> <HOST IP>  text` after the daemon's tag (the severity is
// missing on some releases). Forms from the corpus (test/corpus/syslog/aruba-aos) and the
// ArubaOS syslog reference:
//   <522274> <5962> <ERRS> <FR0002SR021 3.4.5.6>  Mgmt User Authentication failed. username=admin  userip=1.2.3.4 …
// Only management logins are read. 133006 "User U Failed Authentication (… on UserDB)" and 133019
// "User U was not found in the database" come from the internal user database, which answers for
// wireless and captive-portal users as well: no administrator login is claimed from them. Instant
// `stm` lines are wireless clients.

import type { AaaRecord, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { address, origin, sessionRecord } from '../lib/record.js';

const PLATFORM = 'aruba-aos';
const NONE: AaaRecord[] = [];

const HEAD = /^<(\d{6})> <\d{1,10}> (?:<[A-Z]{4}> )?<(\S{1,255}) (\S{1,64})>\s+/;

// Offered: the management-authentication id.
export const offer: Offer = { texts: ['<522274>'] };

export function recognise(msg: SyslogMessage, _ctx: RecogniseContext): AaaRecord[] {
  const text = msg.message;
  // `<522274>`: a `<` then six digits; only the management-authentication id is read.
  if (text.charCodeAt(0) !== 60 || !text.startsWith('<522274>')) return NONE;
  const m = HEAD.exec(text);
  if (!m) return NONE;
  const body = text.slice(m[0].length);
  const f = /^Mgmt User Authentication failed\.\s+username=(\S*)\s+userip=(\S*)/.exec(body);
  if (!f) return NONE;
  const o = origin(msg, PLATFORM, { device: m[2] });
  return [sessionRecord(o, { actor: f[1] || undefined, actorAddress: address(f[2]) }, 'login.failed')];
}
