// GitLab (self-managed): users created and removed, from the application log in either of its
// forms — `application.log` text (`October 06, 2014 11:56: User "NAME" (EMAIL) was created`) and
// `application_json.log` (the same sentence in `message`, with `time`, `meta.user` who was signed
// in and `meta.remote_ip`) —, and members given, changed or taken access to a group or project in
// `audit_json.log` (AuditEventService's details at the top level: `add: user_access` with `as`,
// `change: access_level` with `from`/`to`, `remove: user_access`; `author_name`, `target_details`).
// The instance is the device: the sender's hostname, else `gitlab`.
//
// The application log names a user by display name and e-mail; the e-mail is unique per account, so
// it is the target. Project and group events (`Project "x" was removed`, a visibility change) and
// sign-ins change no account. No public audit_json.log line of a member's access was found: those
// are read as GitLab's AuditEventService writes them (tested with entries in that shape).

import type { AaaRecord, Platform, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { parseJsonObject, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { inDeviceZone, parseIsoLike, recordTime, type Stamp } from '../lib/record-time.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'gitlab';

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS: ReadonlyMap<string, number> = new Map(MONTH_NAMES.map((m, i) => [m, i]));

/** `application.log`'s stamp: `October 06, 2014 11:56: ` (the server's wall clock, no zone). */
const TEXT_STAMP = /^([A-Z][a-z]{2,8}) (\d{2}), (\d{4}) (\d{2}):(\d{2}): /;
/** The sentence (GitLab writes two spaces before `was removed` where the user has no name left to print). */
const USER_SENTENCE = /^User "([^"\n]{1,256})" \(([^()\s]{1,320})\) {1,2}was (created|removed)$/;

function userChange(sentence: string): AccountChange[] {
  const m = USER_SENTENCE.exec(sentence);
  if (!m) return [];
  return m[3] === 'created'
    ? [{ action: 'account.create', target: m[2]!, technique: 'T1136.001' }]
    : [{ action: 'account.delete', target: m[2]!, technique: 'T1531' }];
}

function textStamp(m: RegExpExecArray): Stamp | undefined {
  const month = MONTHS.get(m[1]!);
  if (month === undefined) return undefined;
  const ms = Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]));
  return Number.isFinite(ms) ? { ms, zoned: false } : undefined;
}

/** A member's access to a group or project, as AuditEventService writes it (`add`, `change`, `remove`). */
function accessChange(e: JsonObject): AccountChange[] {
  const entity = textAt(e, 'entity_type');
  const target = textAt(e, 'target_details');
  if ((entity !== 'Group' && entity !== 'Project') || textAt(e, 'target_type') !== 'User' || target === undefined) return [];
  // The group's or project's path is not in these entries; its id is.
  const group = `${entity.toLowerCase()} ${textAt(e, 'entity_path') ?? textAt(e, 'entity_id') ?? '?'}`;
  if (textAt(e, 'add') === 'user_access') return [{ action: 'group.add_member', target, group, role: textAt(e, 'as'), technique: 'T1098.007' }];
  if (textAt(e, 'remove') === 'user_access') return [{ action: 'group.remove_member', target, group }];
  if (textAt(e, 'change') === 'access_level') return [{ action: 'privilege.change', target, group, role: textAt(e, 'to'), technique: 'T1098' }];
  return [];
}

/** How the change was asked for, from the endpoint that handled it: the REST API, a page of the web UI, else not said (a background job). */
function pathOf(caller: string | undefined): Who['path'] {
  if (caller === undefined) return undefined;
  if (caller.startsWith('API::') || /^(?:GET|POST|PUT|PATCH|DELETE) \/api\//.test(caller)) return 'rest';
  return /Controller#\w+$/.test(caller) ? 'gui' : undefined;
}

function fromJson(msg: SyslogMessage, e: JsonObject): AaaRecord[] {
  const message = textAt(e, 'message');
  const fromApplication = message !== undefined;
  const found = fromApplication ? userChange(message) : accessChange(e);
  if (found.length === 0) return NONE;
  const origin: Origin = { time: recordTime(msg, parseIsoLike(textAt(e, 'time'))), device: msg.hostname ?? PLATFORM, platform: PLATFORM };
  const who: Who = fromApplication
    ? { actor: textAt(e, 'meta.user'), actorAddress: address(textAt(e, 'meta.remote_ip')), path: pathOf(textAt(e, 'meta.caller_id')) }
    : { actor: textAt(e, 'author_name'), actorAddress: address(textAt(e, 'ip_address')) };
  return found.map((c) => accountRecord(origin, who, c));
}

function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  const s = msg.message;
  if (s.charCodeAt(0) === 123) {
    // JSON objects: parsed once for every JSON platform (lib/json-fields.ts); GitLab's logs carry `severity` and `time`.
    const e = parseJsonObject(s);
    return e && textAt(e, 'severity') !== undefined ? fromJson(msg, e) : NONE;
  }
  const m = TEXT_STAMP.exec(s);
  if (!m) return NONE;
  const found = userChange(s.slice(m[0].length));
  if (found.length === 0) return NONE;
  const stamp = inDeviceZone(textStamp(m), ctx, msg.hostname, msg.source);
  const origin: Origin = { time: recordTime(msg, stamp), device: msg.hostname ?? PLATFORM, platform: PLATFORM };
  // The text log names no one who did it, nor how.
  return found.map((c) => accountRecord(origin, {}, c));
}

export const gitlab: Platform = {
  id: PLATFORM,
  name: 'GitLab (self-managed)',
  recognise,
  // Offered: JSON objects and application.log's lines, which start with the month's name.
  offer: { texts: ['{', ...MONTH_NAMES.map((m) => `${m} `)] },
};
