// Reading JSON records that arrive over syslog (CloudTrail, Entra ID, Winlogbeat/NXLog, Falco).
// Every value is hostile until checked: these helpers never throw and only hand out strings,
// plain objects and arrays, so a record with a missing or mistyped field yields nothing rather
// than an exception or a prototype surprise.

export type JsonObject = Record<string, unknown>;

/** Records larger than this are not parsed: no syslog record aaawatch reads comes near it. */
const MAX_JSON_LENGTH = 1 << 20;

// The last text parsed and what it gave: every JSON platform a message is offered to (CloudTrail,
// Entra, Okta, GitHub, Google Workspace, Windows, Falco) parses the same text, so the message is
// parsed once. Readers only read what they are handed (these helpers hand out nothing to write
// through), so sharing the object is safe.
let lastText: string | undefined;
let lastValue: JsonObject | undefined;

/** The text as a JSON object, or undefined when it is not one (or too large). */
export function parseJsonObject(text: string): JsonObject | undefined {
  if (text === lastText) return lastValue;
  if (text.length > MAX_JSON_LENGTH) return undefined;
  let value: JsonObject | undefined;
  try {
    value = asObject(JSON.parse(text));
  } catch {
    value = undefined;
  }
  lastText = text;
  lastValue = value;
  return value;
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** An own property only: `__proto__`, `constructor` and friends from the prototype never count. */
export function field(o: JsonObject | undefined, key: string): unknown {
  return o !== undefined && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function objectAt(o: JsonObject | undefined, ...keys: string[]): JsonObject | undefined {
  let cur = o;
  for (const k of keys) cur = asObject(field(cur, k));
  return cur;
}

/** A non-empty string (numbers are given as text, since IDs arrive as either); else undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function textAt(o: JsonObject | undefined, ...keys: string[]): string | undefined {
  if (keys.length === 0) return undefined;
  const parent = keys.length > 1 ? objectAt(o, ...keys.slice(0, -1)) : o;
  return text(field(parent, keys[keys.length - 1]!));
}

/** Values vendors write for "nothing here" (`-`, `<NA>`, `N/A`, `null`). */
export function meaningful(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  return v === '' || v === '-' || v === '<NA>' || v === 'N/A' || v === 'null' || v === '?' ? undefined : v;
}
