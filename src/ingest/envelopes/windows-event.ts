// Windows events that arrive as Wazuh's `win` object or as event XML are handed to parsers/windows
// in one rendering: the event's own schema as JSON, the shape evtx_dump (omerbenamram/evtx) writes
// and Chainsaw and Hayabusa read:
//   {"Event":{"System":{"EventID":4720,"Computer":…,"Keywords":"0x8020…",
//             "TimeCreated":{"#attributes":{"SystemTime":…}}},"EventData":{"TargetUserName":…}}}
// Element and Data names stay as Windows spells them, so the platform reads every event data field
// under the name Microsoft documents.

import { asObject, field, text, type JsonObject } from '../../../parsers/lib/json-fields.js';

/** Event data fields kept per event: the Security events carry at most a few dozen. */
const MAX_FIELDS = 128;

export interface WindowsEventParts {
  eventId: string;
  computer?: string | undefined;
  keywords?: string | undefined;
  systemTime?: string | undefined;
  channel?: string | undefined;
  provider?: string | undefined;
  data: Array<[string, string]>;
}

/** The evtx-style JSON text of an event. */
export function eventJson(e: WindowsEventParts): string {
  const system: JsonObject = { EventID: e.eventId };
  if (e.provider !== undefined) system.Provider = { '#attributes': { Name: e.provider } };
  if (e.keywords !== undefined) system.Keywords = e.keywords;
  if (e.systemTime !== undefined) system.TimeCreated = { '#attributes': { SystemTime: e.systemTime } };
  if (e.channel !== undefined) system.Channel = e.channel;
  if (e.computer !== undefined) system.Computer = e.computer;
  const data: JsonObject = Object.create(null) as JsonObject;
  for (const [k, v] of e.data.slice(0, MAX_FIELDS)) if (!(k in data)) data[k] = v;
  return JSON.stringify({ Event: { System: system, EventData: data } });
}

/** Wazuh writes each Windows name with its first letter lower-cased (`targetUserName`, `eventID`). */
const windowsName = (wazuh: string): string => wazuh.charAt(0).toUpperCase() + wazuh.slice(1);

/** Wazuh's `{"win":{"system":{…},"eventdata":{…}}}` as event parts; undefined when it is not one. */
export function fromWazuhWin(win: JsonObject): WindowsEventParts | undefined {
  const system = asObject(field(win, 'system'));
  const eventId = text(field(system, 'eventID'));
  if (eventId === undefined) return undefined;
  const data: Array<[string, string]> = [];
  const eventdata = asObject(field(win, 'eventdata'));
  if (eventdata) {
    for (const k of Object.keys(eventdata).slice(0, MAX_FIELDS)) {
      const v = text(eventdata[k]);
      if (v !== undefined) data.push([windowsName(k), v]);
    }
  }
  return {
    eventId,
    computer: text(field(system, 'computer')),
    keywords: text(field(system, 'keywords')),
    systemTime: text(field(system, 'systemTime')),
    channel: text(field(system, 'channel')),
    provider: text(field(system, 'providerName')),
    data,
  };
}
