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
// (the console) the CLI, `api` and `api-ssl` the API. Configuration changes (`… added by …`,
// `… changed by …`) are not read: no public capture shows a `/user` change, so its form is not known.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SessionAction, SyslogMessage } from '../../src/types.js';
import { address, origin, sessionRecord } from '../lib/record.js';

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
  if (!m) return NONE;
  const failed = m[5] !== undefined;
  const action: SessionAction = failed ? 'login.failed' : m[2] === 'in' ? 'login' : 'logout';
  const service = (failed ? m[7] : m[4])!.toLowerCase();
  const who = { actor: (failed ? m[5] : m[1]) || undefined, actorAddress: address(failed ? m[6] : m[3]), path: SERVICE_PATH[service] };
  return [sessionRecord(origin(msg, PLATFORM), who, action)];
}
