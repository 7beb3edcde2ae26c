// A file of JSON events that is not one event a line, for `aaawatch import`: what APIs and their
// tools print, whichever vendor's events they hold:
//
// - an array of events: Okta's System Log API (`/api/v1/logs`, compact, on one line),
//   PowerShell's `ConvertTo-Json`, `jq -s`;
// - a page of a collection API: an object whose `value` (Microsoft Graph, OData:
//   `{"@odata.context": …, "value": [ … ]}`) or `items` (Google's Admin SDK Reports API) is the
//   array of events, the page's other keys skipped;
// - events pretty-printed one after another (`jq '.Records[]'`, `jq .` over JSON lines).
//
// Read as lines, each line of these was a fragment no platform reads (or one line past the
// message bound, refused): the file stored nothing and said it had read its lines. Each event is
// handed on as its own compact JSON text, as a forwarder sends one, and read like a message body.
// Pages and arrays concatenated (`cat page-*.json`) read as one stream. CloudTrail's own files
// (`Records`) and `lookup-events` output (`Events`) are its platform's format, claimed first.

import { JsonEvents } from '../../parsers/lib/json-records.js';
import type { ImportFormat } from '../types.js';

/** The keys of a page whose array is the events. */
const COLLECTION_KEYS: ReadonlySet<string> = new Set(['value', 'items']);
// The list named first, or after the page's metadata (strings: OData's `@…` annotations, Google's `kind` and `etag`).
const PAGE = new RegExp(`^\\{\\s*(?:"(?:@[^"]*|kind|etag)"\\s*:\\s*"(?:[^"\\\\]|\\\\.)*"\\s*,\\s*)*"(?:${[...COLLECTION_KEYS].join('|')})"\\s*:\\s*\\[\\s*\\{`);

/**
 * Whether a file beginning with `head` is one of the shapes above: its first line a lone `[` or
 * `{` (pretty-printed), an array of objects, or a page (PAGE). JSON lines (an object a line) are
 * not claimed: read as lines, a damaged line spoils only itself.
 */
export function claimsJsonEvents(head: string): boolean {
  const text = head.replace(/^[\uFEFF\s]+/, '');
  const first = text.slice(0, text.search(/\r?\n|$/)).trim();
  return first === '[' || first === '{' || /^\[\s*\{/.test(text) || PAGE.test(text);
}

/**
 * Keys a page names before its list: OData's annotations (`@odata.context`, `@microsoft.graph.tips`)
 * and Google's `kind` and `etag`. An object with any other key first is an event, whatever lists
 * it holds (an event's own `items`, `value`).
 */
const pageMeta = (key: string): boolean => key.startsWith('@') || key === 'kind' || key === 'etag';

/** The format `aaawatch import` tries after the platforms' own. */
export const jsonEvents: ImportFormat = { claims: claimsJsonEvents, reader: (maxChars) => new JsonEvents(COLLECTION_KEYS, maxChars, pageMeta) };
