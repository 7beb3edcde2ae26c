// GELF 1.1 (Graylog Extended Log Format) as JSON: `version`, `host`, `short_message`, optional
// `full_message`, `timestamp` (epoch seconds with a fraction) and additional fields prefixed with
// `_`. NXLog's GELF output (`xm_gelf`) sends a Windows event as its fields with that prefix
// (`_EventID`, `_TargetUserName` …): those become the NXLog JSON parsers/windows reads.
// Only JSON payloads: GELF over UDP compressed (zlib/gzip) or chunked is not opened (see the README).

import { field, text, textAt, type JsonObject } from '../../../parsers/lib/json-fields.js';
import type { Opened } from './types.js';

const MAX_FIELDS = 256;

export function mayBeGelf(s: string): boolean {
  return s.includes('"short_message"');
}

export function openGelf(o: JsonObject): Opened | undefined {
  const short = textAt(o, 'short_message');
  if (short === undefined || textAt(o, 'version') === undefined) return undefined;
  const host = textAt(o, 'host');
  const seconds = field(o, 'timestamp');
  const ms = typeof seconds === 'number' && Number.isFinite(seconds) && Math.abs(seconds) < 8.64e12 ? Math.round(seconds * 1000) : undefined;
  const time = ms === undefined ? undefined : { ms, text: String(seconds), zoned: true };
  if (field(o, '_EventID') !== undefined) {
    const fields: JsonObject = Object.create(null) as JsonObject;
    for (const k of Object.keys(o).slice(0, MAX_FIELDS)) {
      if (k.length > 1 && k.charCodeAt(0) === 95) {
        const v = text(o[k]);
        if (v !== undefined) fields[k.slice(1)] = v;
      }
    }
    if (host !== undefined && !('Hostname' in fields)) fields.Hostname = host;
    return { kind: 'gelf', inner: JSON.stringify(fields), hostname: host, time };
  }
  return { kind: 'gelf', inner: textAt(o, 'full_message') ?? short, hostname: host, time };
}
