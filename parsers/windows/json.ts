// Security events forwarded as JSON over syslog, in the two shapes collectors write:
// - Winlogbeat / Elastic Agent: `winlog.event_id`, `winlog.computer_name`,
//   `winlog.event_data.TargetUserName` …, `@timestamp` (UTC), `winlog.keywords` / `event.outcome`;
//   Winlogbeat before 7.0 wrote the same fields at the top level (`event_id`, `computer_name`,
//   `event_data`, `keywords`, `"type":"wineventlog"`), a schema other agents kept (HarfangLab's
//   event log forwarding, with keywords spelt `AuditSuccess`).
// - NXLog im_msvistalog `to_json()`: top-level `EventID`, `Hostname`, `EventTime`, `EventType`
//   (`AUDIT_SUCCESS`/`AUDIT_FAILURE`) and the event data fields (`TargetUserName` …) beside them.
// - The event's own schema as JSON (evtx_dump's rendering, and what src/ingest/envelopes makes of
//   event XML and of Wazuh's `win` object): `Event.System.EventID`, `.Computer`, `.Keywords`
//   (hex; bit 52 set = Audit Failure), `.TimeCreated["#attributes"].SystemTime`, `Event.EventData`.

import { asArray, field, objectAt, text, textAt, type JsonObject } from '../lib/json-fields.js';
import { parseIsoLike, type Stamp } from '../lib/record-time.js';
import type { WinEvent } from './events.js';

export interface JsonEvent {
  event: WinEvent;
  /** Winlogbeat's `@timestamp` is UTC (`Z`); NXLog's `EventTime` is the host's wall clock, no zone. */
  stamp?: Stamp | undefined;
}

function eventFrom(id: number, data: JsonObject | undefined, success: boolean, computer: string | undefined): WinEvent {
  return {
    id,
    success,
    computer,
    subjectUserName: textAt(data, 'SubjectUserName'),
    targetUserName: textAt(data, 'TargetUserName'),
    targetSid: textAt(data, 'TargetSid'),
    targetDomainName: textAt(data, 'TargetDomainName'),
    oldTargetUserName: textAt(data, 'OldTargetUserName'),
    newTargetUserName: textAt(data, 'NewTargetUserName'),
    memberName: textAt(data, 'MemberName'),
    memberSid: textAt(data, 'MemberSid'),
  };
}

/** Keywords as Windows writes them (`0x8010000000000000`): the Audit Failure bit. */
function auditFailure(keywords: string | undefined): boolean {
  if (keywords === undefined || !/^0x[0-9a-fA-F]{1,16}$/.test(keywords)) return false;
  return (BigInt(keywords) & 0x10000000000000n) !== 0n;
}

function fromEventSchema(event: JsonObject): JsonEvent | undefined {
  const system = objectAt(event, 'System');
  const idField = field(system, 'EventID');
  const id = Number(text(idField) ?? textAt(objectAt(system, 'EventID'), '#text'));
  if (!Number.isInteger(id)) return undefined;
  const stampText = textAt(objectAt(system, 'TimeCreated', '#attributes'), 'SystemTime');
  return {
    event: eventFrom(id, objectAt(event, 'EventData'), !auditFailure(textAt(system, 'Keywords')), textAt(system, 'Computer')),
    stamp: parseIsoLike(stampText),
  };
}

/** Winlogbeat's fields, under `winlog` (7.0 on) or at the top level (`o` itself, before 7.0). */
function fromBeat(o: JsonObject, beat: JsonObject): JsonEvent | undefined {
  const id = Number(text(field(beat, 'event_id')));
  if (!Number.isInteger(id)) return undefined;
  const keywords = asArray(field(beat, 'keywords'));
  const failed = keywords.includes('Audit Failure') || keywords.includes('AuditFailure') || textAt(o, 'event', 'outcome') === 'failure';
  const computer = textAt(beat, 'computer_name') ?? textAt(o, 'host', 'name');
  return {
    event: eventFrom(id, objectAt(beat, 'event_data'), !failed, computer),
    stamp: parseIsoLike(textAt(o, '@timestamp')),
  };
}

export function readJsonEvent(o: JsonObject): JsonEvent | undefined {
  const schema = objectAt(o, 'Event');
  if (schema) return fromEventSchema(schema);
  const winlog = objectAt(o, 'winlog');
  if (winlog) return fromBeat(o, winlog);
  if (field(o, 'event_id') !== undefined && objectAt(o, 'event_data')) return fromBeat(o, o);
  const id = Number(text(field(o, 'EventID')));
  if (!Number.isInteger(id)) return undefined;
  const type = textAt(o, 'EventType');
  const keywords = textAt(o, 'Keywords');
  const failed = type === 'AUDIT_FAILURE' || keywords === 'Audit Failure';
  const stampText = textAt(o, 'EventTime') ?? textAt(o, 'TimeCreated');
  return {
    event: eventFrom(id, o, !failed, textAt(o, 'Hostname') ?? textAt(o, 'Computer')),
    stamp: parseIsoLike(stampText),
  };
}
