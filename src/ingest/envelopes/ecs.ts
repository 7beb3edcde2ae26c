// Elastic Common Schema documents as Elastic Agent, Filebeat and Winlogbeat ship them (to Logstash,
// Kafka or a syslog output): `@timestamp`, `host.name`, and the event itself in `event.original`
// (the record as read, kept when the integration preserves it) or `message` (the line as read, or
// its body once the header was split off). The program the body needs is then `process.name` (an
// ingest pipeline's), `log.syslog.appname` (Filebeat's syslog parser) or `syslog.identifier`
// (Filebeat's journald input: the journal's SYSLOG_IDENTIFIER; its `process.name` is absent).
// Windows events (`winlog.*`) are not opened here: parsers/windows reads that shape directly.

import { textAt, type JsonObject } from '../../../parsers/lib/json-fields.js';
import { parseIsoLike } from '../../../parsers/lib/record-time.js';
import type { Opened } from './types.js';

export function mayBeEcs(s: string): boolean {
  return s.includes('"@timestamp"') && !s.includes('"winlog"') && (s.includes('"original"') || s.includes('"message"'));
}

export function openEcs(o: JsonObject): Opened | undefined {
  const stampText = textAt(o, '@timestamp');
  if (stampText === undefined) return undefined;
  const inner = textAt(o, 'event', 'original') ?? textAt(o, 'message');
  if (inner === undefined) return undefined;
  const stamp = parseIsoLike(stampText);
  return {
    kind: 'ecs',
    inner,
    hostname: textAt(o, 'host', 'hostname') ?? textAt(o, 'host', 'name') ?? textAt(o, 'agent', 'hostname'),
    appName: textAt(o, 'process', 'name') ?? textAt(o, 'log', 'syslog', 'appname') ?? textAt(o, 'syslog', 'identifier'),
    procId: textAt(o, 'process', 'pid') ?? textAt(o, 'log', 'syslog', 'procid') ?? textAt(o, 'syslog', 'pid'),
    time: stamp && { ms: stamp.ms, text: stampText, zoned: stamp.zoned },
  };
}
