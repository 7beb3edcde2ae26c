// FreeRADIUS's own log shapes, as its default configuration writes them (raddb, version 3):
//
// - linelog `log_accounting` (mods-available/linelog):
//     Connect: [%{User-Name}] (did %{Called-Station-Id} cli %{Calling-Station-Id} port %{NAS-Port} ip %{Framed-IP-Address})
//     Disconnect: [%{User-Name}] (did … ip …) %{Acct-Session-Time} seconds
// - radius.log authentication results (`auth = yes` in radiusd.conf), the file form behind a ctime
//   stamp and ` : Auth: `, the syslog form as `(N) Login OK: …`:
//     Login OK: [bob] (from client nas01 port 0 cli 10.1.1.5)
//     Login incorrect (pap: Cleartext-Password does not match): [bob/<via Auth-Type = PAP>] (from client nas01 port 0)
// - detail files (mods-available/detail): a ctime line, then one `Attribute = value` per line.

import type { ImportItem, ImportReader } from '../../src/types.js';
import { parseCtime } from '../lib/record-time.js';

export interface LinelogLine {
  kind: 'linelog';
  action: 'session.start' | 'session.stop';
  user: string;
  cli?: string | undefined;
}

export interface AuthLine {
  kind: 'auth';
  ok: boolean;
  user: string;
  client?: string | undefined;
  cli?: string | undefined;
  stamp?: number | undefined;
}

export interface DetailRecord {
  kind: 'detail';
  stamp?: number | undefined;
  attrs: Record<string, string>;
}

const LINELOG = /^(Connect|Disconnect): \[(.{0,256}?)\] \(did \S* cli (\S*) port \S* ip \S*\)/;

export function readLinelog(text: string): LinelogLine | undefined {
  const m = LINELOG.exec(text);
  if (!m || m[2] === '') return undefined;
  return { kind: 'linelog', action: m[1] === 'Connect' ? 'session.start' : 'session.stop', user: m[2]!, cli: m[3] || undefined };
}

const AUTH = /^(?:Auth: )?(?:\(\d+\) )?Login (OK|incorrect)(?: \([^)]{0,512}\))?: \[(.{0,512}?)\] \(from client (\S+) port \S+(?: cli (\S+))?/;

export function readAuthLine(text: string): AuthLine | undefined {
  let body = text;
  let stamp: number | undefined;
  if (text.charCodeAt(24) === 32 && text.charCodeAt(25) === 58) {
    stamp = parseCtime(text.slice(0, 24));
    body = text.slice(27);
  }
  const m = AUTH.exec(body);
  if (!m) return undefined;
  // With `auth_badpass`/`auth_goodpass` the server writes `[user/password]`; the password is dropped.
  const slash = m[2]!.indexOf('/');
  const user = slash >= 0 ? m[2]!.slice(0, slash) : m[2]!;
  if (user === '') return undefined;
  return { kind: 'auth', ok: m[1] === 'OK', user, client: m[3], cli: m[4]?.replace(/\)$/, ''), stamp };
}

// Attribute lines are separated by newlines (a file, `aaawatch import`), or by tabs and rsyslog's
// `#011`/`#012` escapes when a multi-line record was forwarded as one syslog message.
const SEPARATOR = /\r?\n|#01[12]|\t/;
const ATTR = /^\s*([A-Za-z][\w-]{0,63}) = (.*)$/;
const MAX_ATTRS = 256;

export function readDetail(text: string): DetailRecord | undefined {
  const lines = text.split(SEPARATOR, MAX_ATTRS + 1);
  const stamp = parseCtime(lines[0]!.trim());
  if (stamp === undefined) return undefined;
  const attrs: Record<string, string> = Object.create(null);
  for (const line of lines.slice(1)) {
    const m = ATTR.exec(line);
    if (!m) continue;
    let v = m[2]!.trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    attrs[m[1]!] ??= v;
  }
  return attrs['Acct-Status-Type'] === undefined ? undefined : { kind: 'detail', stamp, attrs };
}

/** Whether a file beginning with `head` is a detail file: a ctime line, then an attribute line. */
export function claimsDetailFile(head: string): boolean {
  const start = head.search(/\S/);
  if (start < 0) return false;
  const lines = head.slice(start, start + 512).split(/\r?\n/, 2);
  return parseCtime(lines[0]!.trim()) !== undefined && ATTR.test(lines[1] ?? '');
}

/**
 * A detail file's records (blank-line separated, each opened by a ctime line), as the text
 * arrives; a record longer than `maxRecordChars` is counted, not kept.
 */
export function detailFileReader(maxRecordChars: number): ImportReader {
  let partial = '';
  let record = '';
  let oversize = false;
  const finish = (out: ImportItem[]): void => {
    const text = record.trim();
    if (oversize) out.push({ malformed: 'oversize-record', sample: text.slice(0, 256) });
    else if (text) out.push({ text });
    record = '';
    oversize = false;
  };
  const line = (l: string, out: ImportItem[]): void => {
    if (l.trim() === '') return finish(out);
    if (oversize) return;
    if (record.length + l.length + 1 > maxRecordChars) oversize = true;
    else record += (record ? '\n' : '') + l;
  };
  return {
    push(text) {
      const out: ImportItem[] = [];
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      // A line with no end yet is kept only up to the bound.
      if (partial.length > maxRecordChars) {
        oversize = true;
        partial = '';
      }
      for (const l of lines) line(l.replace(/\r$/, ''), out);
      return out;
    },
    end() {
      const out: ImportItem[] = [];
      if (partial) line(partial.replace(/\r$/, ''), out);
      partial = '';
      finish(out);
      return out;
    },
  };
}
