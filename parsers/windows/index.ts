// Windows Security log account management (4720–4758, 4767, 4781): accounts created, enabled, disabled,
// changed, unlocked, renamed, deleted, passwords reset, security groups created and deleted, and members added to or
// removed from them, as Snare and JSON shippers (Winlogbeat, NXLog) forward them over syslog (and
// rsyslog relays Snare's: its tabs escaped `#011`).
// Snare's ctime field and NXLog's EventTime are the host's wall clock without a zone: they are
// read in the zone configured for the host.

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { parseJsonObject } from '../lib/json-fields.js';
import { accountRecord, type Origin } from '../lib/record.js';
import { inDeviceZone, recordTime, type Stamp } from '../lib/record-time.js';
import { isAccountEvent, winChanges, type WinEvent } from './events.js';
import { readJsonEvent } from './json.js';
import { AccountNames } from './names.js';
import { readSnare } from './snare.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'windows';

const SNARE = 'MSWinEventLog';
/** rsyslog's escape of a tab it received ($EscapeControlCharactersOnReceive, on by default). */
const ESCAPED_TAB = '#011';

/**
 * The separator of a Snare line's fields: a tab as Snare sends it, or `#011` once rsyslog relayed
 * it (it escapes every control character it receives, and a line it kept or forwards keeps the
 * escape); undefined for a line that is no Snare line. rsyslog's Snare parser (pmsnare) also turns
 * the first tab into a space, `MSWinEventLog 1#011Security#011…` (its tests, parsertest-parse2 and
 * pmsnare's): a digit, the criticality, then the separator follows it.
 */
function snareSeparator(s: string): string | undefined {
  if (!s.startsWith(SNARE)) return undefined;
  const at = SNARE.length;
  const c = s.charCodeAt(at);
  if (c === 9) return '\t';
  if (c === 35) return s.startsWith(ESCAPED_TAB, at) ? ESCAPED_TAB : undefined;
  if (c !== 32) return undefined;
  const criticality = /^ \d{1,2}(\t|#011)/.exec(s.slice(at, at + 8));
  return criticality?.[1];
}

/** Event id of a Snare line without splitting it: the sixth field. */
function snareEventId(s: string, sep: string): number {
  // The first field ends at the separator, or at pmsnare's space.
  let i = SNARE.length + (s.charCodeAt(SNARE.length) === 32 ? 1 : sep.length);
  for (let n = 0; n < 4; n++) {
    i = s.indexOf(sep, i);
    if (i < 0) return -1;
    i += sep.length;
  }
  let id = 0;
  for (let k = i; k < i + 6; k++) {
    const c = s.charCodeAt(k);
    if (c === 9 || (c === 35 && s.startsWith(ESCAPED_TAB, k))) return id;
    if (c < 48 || c > 57) return -1;
    id = id * 10 + (c - 48);
  }
  return -1;
}

/** A Snare line's fields, its tabs as Snare sent them whatever a relay made of them. */
function snareFields(s: string, sep: string): string[] {
  if (sep === '\t' && s.charCodeAt(SNARE.length) === 9) return s.split('\t', 16);
  const rest = s.slice(SNARE.length + (s.charCodeAt(SNARE.length) === 32 ? 1 : sep.length));
  return [SNARE, ...(sep === '\t' ? rest : rest.replaceAll(ESCAPED_TAB, '\t')).split('\t', 15)];
}

function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const s = msg.message;
  const c = s.charCodeAt(0);
  const sep = c === 77 ? snareSeparator(s) : undefined;
  if (sep !== undefined) {
    // Most Security events are logons and the like: look at the id before splitting anything.
    if (!isAccountEvent(snareEventId(s, sep))) return NONE;
    const snare = readSnare(snareFields(s, sep));
    return snare ? records(snare.event, msg, ctx, snare.stamp === undefined ? undefined : { ms: snare.stamp, zoned: false }) : NONE;
  }
  if (c === 123 && (s.includes('"EventID"') || s.includes('"event_id"'))) {
    const o = parseJsonObject(s);
    const j = o && readJsonEvent(o);
    return j ? records(j.event, msg, ctx, j.stamp) : NONE;
  }
  return NONE;
}

function records(e: WinEvent, msg: SyslogMessage, ctx: RecogniseContext, stamp: Stamp | undefined): AaaRecord[] {
  const computer = e.computer ?? msg.hostname;
  const device = computer ?? msg.source ?? 'unknown';
  const changes = winChanges(e, device, ctx.state('names', () => new AccountNames()));
  if (!changes) {
    // An account-management event whose account could not be read is a format not understood.
    ctx.unknown(`windows:${e.id}`);
    return NONE;
  }
  if (changes.length === 0) return NONE;
  const o: Origin = {
    time: recordTime(msg, inDeviceZone(stamp, ctx, computer, msg.source)),
    device,
    platform: PLATFORM,
  };
  return changes.map((change) => accountRecord(o, { actor: change.actor, path: 'os' }, change));
}

export const windows: Platform = {
  id: 'windows',
  name: 'Windows Security log',
  recognise,
  // Offered: Snare lines (as sent, and as rsyslog relays them) and JSON events.
  offer: { texts: ['MSWinEventLog\t', 'MSWinEventLog#011', 'MSWinEventLog ', '{'] },
  // Groups whose members administer the host or the domain: by SID as member events give it
  // (events.ts `memberGroup`: builtin Administrators S-1-5-32-544; a domain's Domain Admins -512,
  // Schema Admins -518, Enterprise Admins -519), whatever the group is called in the host's
  // language (`Administratoren`, `Domänen-Admins`); by the English name where no SID is given.
  privileges: { superuser: /^(?:administrators|domain admins|enterprise admins|schema admins)$|\(S-1-5-(?:32-544|21-\d+-\d+-\d+-51[289])\)$/i },
};
