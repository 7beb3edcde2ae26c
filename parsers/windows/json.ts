// Security events forwarded as JSON over syslog, in the two shapes collectors write:
// - Winlogbeat / Elastic Agent: `winlog.event_id`, `winlog.computer_name`,
//   `winlog.event_data.TargetUserName` …, `@timestamp` (UTC), `winlog.keywords` / `event.outcome`.
// - NXLog im_msvistalog `to_json()`: top-level `EventID`, `Hostname`, `EventTime`, `EventType`
//   (`AUDIT_SUCCESS`/`AUDIT_FAILURE`) and the event data fields (`TargetUserName` …) beside them.

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
    memberName: textAt(data, 'MemberName'),
    memberSid: textAt(data, 'MemberSid'),
  };
}

export function readJsonEvent(o: JsonObject): JsonEvent | undefined {
  const winlog = objectAt(o, 'winlog');
  if (winlog) {
    const id = Number(text(field(winlog, 'event_id')));
    if (!Number.isInteger(id)) return undefined;
    const keywords = asArray(field(winlog, 'keywords'));
    const failed = keywords.includes('Audit Failure') || textAt(o, 'event', 'outcome') === 'failure';
    const computer = textAt(winlog, 'computer_name') ?? textAt(o, 'host', 'name');
    const stampText = textAt(o, '@timestamp');
    return {
      event: eventFrom(id, objectAt(winlog, 'event_data'), !failed, computer),
      stamp: stampText === undefined ? undefined : parseIsoLike(stampText),
    };
  }
  const id = Number(text(field(o, 'EventID')));
  if (!Number.isInteger(id)) return undefined;
  const type = textAt(o, 'EventType');
  const keywords = textAt(o, 'Keywords');
  const failed = type === 'AUDIT_FAILURE' || keywords === 'Audit Failure';
  const stampText = textAt(o, 'EventTime') ?? textAt(o, 'TimeCreated');
  return {
    event: eventFrom(id, o, !failed, textAt(o, 'Hostname') ?? textAt(o, 'Computer')),
    stamp: stampText === undefined ? undefined : parseIsoLike(stampText),
  };
}
