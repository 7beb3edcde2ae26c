// NXLog's JSON (`to_json()`): every record carries `EventReceivedTime`, `SourceModuleName` and
// `SourceModuleType`. Windows events (im_msvistalog: `EventID`, `SourceName`, `Hostname` and the
// event data beside them) are that shape's own rendering and parsers/windows reads them as they
// are; every other input (im_file, im_uds, im_tcp with `parse_syslog()`) carries the line in
// `Message`, with `Hostname`, `SourceName` (the program), `ProcessID` and `EventTime` (the host's
// wall clock; no zone unless NXLog 6 wrote one) beside it.

import { field, textAt, type JsonObject } from '../../../parsers/lib/json-fields.js';
import { parseIsoLike } from '../../../parsers/lib/record-time.js';
import type { Opened } from './types.js';

export function mayBeNxlog(s: string): boolean {
  return s.includes('"SourceModuleType"') || s.includes('"EventReceivedTime"');
}

export function openNxlog(o: JsonObject): Opened | undefined {
  if (field(o, 'EventID') !== undefined) return undefined;
  const inner = textAt(o, 'Message');
  if (inner === undefined) return undefined;
  const stampText = textAt(o, 'EventTime');
  const stamp = stampText === undefined ? undefined : parseIsoLike(stampText);
  return {
    kind: 'nxlog',
    inner,
    hostname: textAt(o, 'Hostname'),
    appName: textAt(o, 'SourceName'),
    procId: textAt(o, 'ProcessID'),
    time: stamp && stampText !== undefined ? { ms: stamp.ms, text: stampText, zoned: stamp.zoned } : undefined,
  };
}
