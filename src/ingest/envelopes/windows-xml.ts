// Windows event XML, as Windows Event Forwarding subscriptions deliver it and forwarders (NXLog
// `$raw_event`, Fluent Bit, WEC relays) pass it on: `<Event xmlns=…><System>…</System>
// <EventData><Data Name="TargetUserName">…</Data>…</EventData></Event>`. Also the form Event
// Viewer's XML view copies, with a `- ` before each collapsible element (Microsoft's event
// reference pages print events that way).
//
// Parsed with fast-xml-parser (entities, attributes in either quote, self-closing elements). A
// document with a DTD is refused before parsing: Windows never writes one, and its entities are
// the classic way to make an XML parser expand a small input into a huge one.

import { XMLParser } from 'fast-xml-parser';
import { asArray, asObject, field, text, type JsonObject } from '../../../parsers/lib/json-fields.js';
import type { Opened } from './types.js';
import { eventJson } from './windows-event.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'Data',
});

/** Event Viewer's collapse markers: `- ` at the start of a line, before a tag. */
const VIEWER_MARKER = /^[ \t]*- (?=<)/gm;

/** True when a message body is (the start of) an event XML document. */
export function looksLikeEventXml(s: string): boolean {
  return s.startsWith('<Event') || s.startsWith('<?xml') || s.startsWith('- <Event');
}

/** Text of an element that may carry attributes (`<EventID Qualifiers="0">4720</EventID>`). */
function elementText(v: unknown): string | undefined {
  return text(v) ?? text(field(asObject(v), '#text'));
}

/** The event inside, or undefined when the text is not a well-formed event. */
export function openWindowsXml(s: string): Opened | undefined {
  if (s.includes('<!DOCTYPE') || s.includes('<!ENTITY')) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(s.charCodeAt(0) === 45 ? s.replace(VIEWER_MARKER, '') : s);
  } catch {
    return undefined;
  }
  const event = asObject(field(asObject(doc), 'Event'));
  const system = asObject(field(event, 'System'));
  const eventId = elementText(field(system, 'EventID'));
  if (eventId === undefined) return undefined;
  const data: Array<[string, string]> = [];
  for (const d of asArray(field(asObject(field(event, 'EventData')), 'Data'))) {
    const o: JsonObject | undefined = asObject(d);
    const name = text(field(o, 'Name'));
    // `<Data Name="WorkstationName" />` is empty: Windows' way of saying "-".
    if (name !== undefined) data.push([name, text(field(o, '#text')) ?? '']);
  }
  const computer = elementText(field(system, 'Computer'));
  const systemTime = text(field(asObject(field(system, 'TimeCreated')), 'SystemTime'));
  return {
    kind: 'windows-xml',
    inner: eventJson({
      eventId,
      computer,
      keywords: elementText(field(system, 'Keywords')),
      systemTime,
      channel: elementText(field(system, 'Channel')),
      provider: text(field(asObject(field(system, 'Provider')), 'Name')),
      data,
    }),
    hostname: computer,
  };
}
