// Forwarder envelopes: the layer between the header parser and the platforms. A SIEM agent or
// shipper (Wazuh, Elastic Agent/Winlogbeat, NXLog, Graylog's GELF, Windows Event Forwarding)
// wraps the event it carries in its own JSON or XML, with or without a syslog header in front;
// opened here, the event inside is read as if it had arrived bare, so each platform recognises
// it by its own rules. The frame as received stays the stored evidence (src/ingest/pipeline.ts).
//
// Cost for ordinary syslog: one character comparison. JSON is parsed only when the body starts
// with `{` and carries a key one of the shapes needs; a body that claims to be an envelope and is
// not well-formed is marked malformed (`envelope-json`, `envelope-xml`, `envelope-too-large`), so
// the pipeline counts and keeps it, and still offers it to the platforms as it stands.

import { asObject, type JsonObject } from '../../../parsers/lib/json-fields.js';
import { parseEnveloped, parseSyslog, type HeaderContext } from '../header.js';
import type { SyslogMessage } from '../../types.js';
import { mayBeEcs, openEcs } from './ecs.js';
import { mayBeGelf, openGelf } from './gelf.js';
import { mayBeNxlog, openNxlog } from './nxlog.js';
import type { Opened } from './types.js';
import { mayBeWazuh, openWazuh } from './wazuh.js';
import { looksLikeEventXml, openWindowsXml } from './windows-xml.js';

/** Envelopes larger than this are not opened (no forwarder writes one near it). */
export const MAX_ENVELOPE = 1 << 20;
/** An envelope's event may be an envelope itself (an ECS document carrying a Wazuh alert); no deeper. */
const MAX_DEPTH = 2;

const SHAPES: ReadonlyArray<{ may: (s: string) => boolean; open: (o: JsonObject) => Opened | undefined }> = [
  { may: mayBeWazuh, open: openWazuh },
  { may: mayBeGelf, open: openGelf },
  { may: mayBeNxlog, open: openNxlog },
  { may: mayBeEcs, open: openEcs },
];

/** Header parsing, then the envelope if there is one: what the reader offers the platforms. */
export function readMessage(text: string, ctx: HeaderContext): SyslogMessage {
  return openEnvelope(parseSyslog(text, ctx), ctx, 0);
}

function openEnvelope(msg: SyslogMessage, ctx: HeaderContext, depth: number): SyslogMessage {
  const s = msg.message;
  const c = s.charCodeAt(0);
  // `{` JSON, `<` event XML (a bare one reads as a bad PRI), `-` Event Viewer's copied XML.
  if (c !== 123 && c !== 60 && c !== 45) return msg;
  if (c !== 123 && !looksLikeEventXml(s)) return msg;
  if (s.length > MAX_ENVELOPE) return malformed(msg, 'envelope-too-large');
  let opened: Opened | undefined;
  if (c === 123) {
    const shapes = SHAPES.filter((shape) => shape.may(s));
    if (shapes.length === 0) return msg;
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch {
      return malformed(msg, 'envelope-json');
    }
    const o = asObject(value);
    if (o === undefined) return msg;
    for (const shape of shapes) {
      opened = shape.open(o);
      if (opened) break;
    }
  } else {
    opened = openWindowsXml(s);
    if (!opened) return malformed(msg, 'envelope-xml');
  }
  if (!opened) return msg;
  const inner = parseEnveloped(opened.inner, ctx, msg, opened, opened.kind);
  return depth + 1 < MAX_DEPTH ? openEnvelope(inner, ctx, depth + 1) : inner;
}

function malformed(msg: SyslogMessage, reason: string): SyslogMessage {
  // A bad PRI on a bare XML line was the header parser's guess; the envelope's reason is the real one.
  if (msg.malformed === undefined || msg.malformed === 'bad-pri') msg.malformed = reason;
  return msg;
}
