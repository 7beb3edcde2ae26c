// Wazuh's JSON, in the three shapes a Wazuh deployment forwards (syslog_output with JSON, Filebeat
// or Fluent Bit tailing alerts.json / archives.json, or the raw events its modules queue):
// - alert (`alerts.json`): `rule`, `agent`, `manager`, `decoder`, `data` (the decoded event),
//   `full_log` (the event as received: a syslog line, or the event's JSON), `predecoder.hostname`;
// - archive (`archives.json`): the same without `rule`;
// - raw module events, which are what `data` and a JSON `full_log` hold:
//   `{"integration":"office365","office365":{…}}` (and `aws`, `ms-graph`, `gcp`, `github` …: the
//   integration names the key holding the record) and Windows eventchannel `{"win":{"system":{…},
//   "eventdata":{…}}}`.

import { asObject, field, objectAt, text, textAt, type JsonObject } from '../../../parsers/lib/json-fields.js';
import { parseIsoLike } from '../../../parsers/lib/record-time.js';
import type { EnvelopeFacts, Opened } from './types.js';
import { eventJson, fromWazuhWin } from './windows-event.js';

/** Cheap test before parsing: one of the keys only Wazuh's shapes carry. */
export function mayBeWazuh(s: string): boolean {
  return s.includes('"integration"') || s.includes('"full_log"') || (s.includes('"win"') && s.includes('"system"')) ||
    (s.includes('"decoder"') && s.includes('"manager"'));
}

/** A raw module event (what `data` holds): the inner record as text, or undefined. */
function rawEvent(o: JsonObject): string | undefined {
  const win = asObject(field(o, 'win'));
  if (win) {
    const parts = fromWazuhWin(win);
    return parts && eventJson(parts);
  }
  const integration = text(field(o, 'integration'));
  if (integration === undefined) return undefined;
  const record = asObject(field(o, integration));
  return record && JSON.stringify(record);
}

function alertFacts(o: JsonObject): EnvelopeFacts {
  // Agent 000 is the manager itself: for syslog it received, the host is in the event, not here.
  const agentId = textAt(o, 'agent', 'id');
  const stampText = textAt(o, 'timestamp');
  const stamp = stampText === undefined ? undefined : parseIsoLike(stampText);
  return {
    hostname: textAt(o, 'predecoder', 'hostname') ?? (agentId !== '000' ? textAt(o, 'agent', 'name') : undefined),
    appName: textAt(o, 'predecoder', 'program_name'),
    time: stamp && stampText !== undefined ? { ms: stamp.ms, text: stampText, zoned: stamp.zoned } : undefined,
  };
}

export function openWazuh(o: JsonObject): Opened | undefined {
  const raw = rawEvent(o);
  if (raw !== undefined) {
    const computer = textAt(o, 'win', 'system', 'computer');
    return { kind: 'wazuh', inner: raw, hostname: computer };
  }
  // An alert or archive line: the agent and manager say who sent it.
  if (objectAt(o, 'manager') === undefined && objectAt(o, 'agent') === undefined) return undefined;
  const facts = alertFacts(o);
  const fullLog = textAt(o, 'full_log');
  if (fullLog !== undefined && fullLog.charCodeAt(0) !== 123) return { kind: 'wazuh', inner: fullLog, ...facts };
  const data = objectAt(o, 'data');
  const fromData = data && rawEvent(data);
  if (fromData !== undefined) return { kind: 'wazuh', inner: fromData, ...facts };
  if (fullLog === undefined) return undefined;
  let logged: unknown;
  try {
    logged = JSON.parse(fullLog);
  } catch {
    return undefined;
  }
  const inner = asObject(logged);
  const fromLog = inner && rawEvent(inner);
  return fromLog === undefined ? undefined : { kind: 'wazuh', inner: fromLog, ...facts };
}
