// ArcSight Common Event Format, the rendering FortiOS (`set format cef`) and other firewalls offer
// beside their own: `CEF:Version|Vendor|Product|Version|Signature|Name|Severity|key=value key=value …`.
// In the seven header fields `\|` and `\\` are escapes; in the extension a value runs to the space
// before the next `key=` (values hold spaces), `\=`, `\\`, `\n` and `\r` are escapes, and an
// empty value (`duser= sproc=…`) is a key with nothing said. Bounded: a line's first MAX_PAIRS
// pairs, keys of at most 64 characters; the map has no prototype, so `__proto__=` is a key.

const MAX_PAIRS = 200;

export interface Cef {
  vendor: string;
  product: string;
  version: string;
  signature: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
}

/** The event a `CEF:` line (at its start) carries, or undefined when the header is not all there. */
export function readCef(text: string): Cef | undefined {
  if (!text.startsWith('CEF:')) return undefined;
  const fields: string[] = [];
  let field = '';
  let i = 4;
  const n = text.length;
  while (i < n && fields.length < 7) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ && i + 1 < n && (text.charCodeAt(i + 1) === 124 || text.charCodeAt(i + 1) === 92)) {
      field += text[i + 1];
      i += 2;
    } else if (c === 124 /* | */) {
      fields.push(field);
      field = '';
      i++;
    } else {
      field += text[i];
      i++;
    }
  }
  if (fields.length < 7) return undefined;
  const [, vendor, product, version, signature, name, severity] = fields as [string, string, string, string, string, string, string];
  return { vendor, product, version, signature, name, severity, extension: readExtension(text, i) };
}

/** Where each `key=` starts: a run of key characters after a space (or the start), then an unescaped `=`. */
const KEY = /(?:^|(?<= ))([A-Za-z0-9_.\-[\]]{1,64})=/g;

function readExtension(text: string, from: number): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const ext = text.slice(from);
  KEY.lastIndex = 0;
  let key: string | undefined;
  let valueStart = 0;
  let pairs = 0;
  // An escaped `\=` never ends a key: a key's last character is never a backslash.
  for (let m = KEY.exec(ext); m !== null; m = KEY.exec(ext)) {
    if (key !== undefined) {
      out[key] = unescape(ext.slice(valueStart, m.index).trimEnd());
      if (++pairs >= MAX_PAIRS) return out;
    }
    key = m[1]!;
    valueStart = m.index + m[0].length;
  }
  if (key !== undefined) out[key] = unescape(ext.slice(valueStart).trimEnd());
  return out;
}

function unescape(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\([\\=nr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}
