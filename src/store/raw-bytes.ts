// A frame that is not valid UTF-8, kept byte for byte. Such a frame is read as Latin-1 (one
// character per byte, so the platforms and the secret gate still see text); what is stored and
// shown is its escaped form, and the store keeps its exact bytes beside it.
//
// The escaped form: every well-formed UTF-8 character as itself, every other byte, and every
// backslash, as `\xNN`. So a backslash in it always starts an escape, and the bytes can be read
// back from it exactly (`unescapeBytes`): it is lossless, and what the hash chain covers covers them.

/** The length of the well-formed UTF-8 character at `i`, or 0 when the byte there starts none. */
function characterAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    // No overlong forms (E0 needs A0+), no surrogates (ED stops at 9F).
    const second = c === 0xe0 ? cont(1, 0xa0) : c === 0xed ? cont(1, 0x80, 0x9f) : cont(1);
    return second && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const second = c === 0xf0 ? cont(1, 0x90) : c === 0xf4 ? cont(1, 0x80, 0x8f) : cont(1);
    return second && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

const hex = (c: number): string => '\\x' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase();

/** The escaped form of `bytes` (see above). */
export function escapeBytes(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  let run = 0;
  let i = 0;
  while (i < buf.length) {
    const n = buf[i] === 0x5c ? 0 : characterAt(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i) + hex(buf[i]!);
    i++;
    run = i;
  }
  return out + buf.toString('utf8', run, i);
}

/**
 * The bytes a frame read as Latin-1 stood for: one byte per character. A character past U+00FF
 * came from no byte (text the secret gate put in) and is kept as its UTF-8.
 */
export function latin1Bytes(text: string): Buffer {
  if (!/[^\u0000-\u00ff]/.test(text)) return Buffer.from(text, 'latin1');
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) <= 0xff) continue;
    const wide = text.codePointAt(i)! > 0xffff ? 2 : 1;
    parts.push(Buffer.from(text.slice(run, i), 'latin1'), Buffer.from(text.slice(i, i + wide), 'utf8'));
    i += wide - 1;
    run = i + 1;
  }
  parts.push(Buffer.from(text.slice(run), 'latin1'));
  return Buffer.concat(parts);
}

/** The escaped form of a frame read as Latin-1. */
export const escapeLatin1 = (text: string): string => escapeBytes(latin1Bytes(text));

/** The bytes an escaped form stands for: the inverse of `escapeBytes`. */
export function unescapeBytes(escaped: string): Buffer {
  const parts: Buffer[] = [];
  let run = 0;
  for (let i = escaped.indexOf('\\'); i >= 0; i = escaped.indexOf('\\', run)) {
    parts.push(Buffer.from(escaped.slice(run, i), 'utf8'), Buffer.from([parseInt(escaped.slice(i + 2, i + 4), 16)]));
    run = i + 4;
  }
  parts.push(Buffer.from(escaped.slice(run), 'utf8'));
  return Buffer.concat(parts);
}
