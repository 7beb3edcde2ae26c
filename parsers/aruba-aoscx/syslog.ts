// HPE Aruba AOS-CX syslog: the event log's entries, `Event|ID|SEVERITY|ROLE|SLOT|text` after the
// daemon's tag (`hpe-restd[1956]: Event|4602|LOG_INFO|AMM|-|…`). Forms from the AOS-CX Event Log
// Message Reference and real lines (test/corpus/syslog/aruba-aoscx, Elastic's AOS-CX test logs):
//   5209 User satori logged in from 127.0.0.1 through SSH session.            (log-proxyd)
//   5211 User oxidized logged out of SSH session from 127.0.0.1.
//   4601 Authentication failed for user satori in session …                    (hpe-restd: REST / Web UI)
//   4602 Authentication succeeded for user admin in session …
//   4656 User satori login from 127.0.0.1 for REST session has failed
//   4657 User admin logged out of REST session from 127.0.0.1
//   4659 WebUI session from 127.0.0.1 with User admin timed out due to idle timeout
//   4617/4618/4619 admin created|deleted|modified /users/user_name           (REST writes)
//   4701 User admin added admininfra with role administrators                 (vtysh)
// A REST write to `/users/NAME` is an account change by the REST path; other REST writes are
// command records (who changed which resource). 4701 creates an account from the CLI. The REST
// session id (4601/4602) is not kept in the record: it may be a live session's cookie. Other
// user-management events (47xx) are reported as unknown until their form is seen.

import type { AaaRecord, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { accountRecord, address, commandRecord, origin, sessionRecord, type Origin } from '../lib/record.js';

const PLATFORM = 'aruba-aoscx';
const NONE: AaaRecord[] = [];

const EVENT = /^Event\|(\d{1,6})\|LOG_[A-Z]{1,8}\|[^|]{0,32}\|[^|]{0,32}\|/;

// Offered: event lines.
export const offer: Offer = { texts: ['Event|'] };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const text = msg.message;
  if (text.charCodeAt(0) !== 69 /* E */ || !text.startsWith('Event|')) return NONE;
  const m = EVENT.exec(text);
  if (!m) return NONE;
  const id = Number(m[1]);
  // Only the AAA, REST and user-management ranges: the rest is LLDP, links, STP, fans …
  if (!(id >= 4601 && id <= 4799) && id !== 5209 && id !== 5211) return NONE;
  const body = text.slice(m[0].length);
  const o = origin(msg, PLATFORM);
  switch (id) {
    case 5209: return session(o, /^User (\S+) logged in from (\S+) through SSH session\.?$/, body, 'login', 'cli');
    case 5211: return session(o, /^User (\S+) logged out of SSH session from (\S+?)\.?$/, body, 'logout', 'cli');
    case 4601: return session(o, /^Authentication failed for user (\S+) in session \S*()$/, body, 'login.failed', 'rest');
    case 4602: return session(o, /^Authentication succeeded for user (\S+) in session \S*()$/, body, 'login', 'rest');
    case 4656: return session(o, /^User (\S+) login from (\S+) for REST session has failed$/, body, 'login.failed', 'rest');
    case 4657: return session(o, /^User (\S+) logged out of REST session from (\S+)$/, body, 'logout', 'rest');
    case 4659: {
      const w = /^WebUI session from (\S+) with User (\S+) timed out/.exec(body);
      return w ? [sessionRecord(o, { actor: w[2], actorAddress: address(w[1]), path: 'gui' }, 'logout')] : NONE;
    }
    case 4617:
    case 4618:
    case 4619: return restWrite(o, body);
    case 4701: {
      const a = /^User (\S+) added (\S+) with role (\S+)$/.exec(body);
      if (!a) break;
      return [accountRecord(o, { actor: a[1], path: 'cli' }, { action: 'account.create', target: a[2]!, role: a[3], technique: 'T1136.001' })];
    }
    default:
      // REST authorisation, subscriptions, NAE scripts, Activate and Central: no account record.
      if (id < 4700) return NONE;
  }
  ctx.unknown(`Event|${id}`, o.device);
  return NONE;
}

function session(o: Origin, re: RegExp, body: string, action: 'login' | 'logout' | 'login.failed', path: 'cli' | 'rest'): AaaRecord[] {
  const m = re.exec(body);
  if (!m) return NONE;
  return [sessionRecord(o, { actor: m[1], actorAddress: address(m[2] || undefined), path }, action)];
}

const VERB = { created: 'account.create', deleted: 'account.delete', modified: 'account.modify' } as const;

/** `admin deleted /users/user_name`: who wrote which resource over REST (the resource may be empty). */
function restWrite(o: Origin, body: string): AaaRecord[] {
  const m = /^(\S+) (created|deleted|modified)(?: (\S+))?\s*$/.exec(body);
  if (!m) return NONE;
  const who = { actor: m[1], path: 'rest' as const };
  const verb = m[2] as keyof typeof VERB;
  const resource = m[3];
  const records: AaaRecord[] = [commandRecord(o, who, resource ? `${verb} ${resource}` : verb)];
  const user = resource ? /^(?:\/rest\/v[\d.]+\/system)?\/users\/([^/\s?]+)$/.exec(resource) : null;
  if (user) {
    const technique = verb === 'deleted' ? 'T1531' : verb === 'created' ? 'T1136.001' : 'T1098';
    records.push(accountRecord(o, who, { action: VERB[verb], target: decodeURIComponent(user[1]!), technique }));
  }
  return records;
}
