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

/** A detail file cut into its records (blank-line separated, each opened by a ctime line). */
export function splitDetailFile(fileText: string): string[] | undefined {
  // Decide from the first two lines before touching the rest: most imported files are not ours.
  const start = fileText.search(/\S/);
  if (start < 0) return undefined;
  const head = fileText.slice(start, start + 512).split(/\r?\n/, 2);
  if (parseCtime(head[0]!.trim()) === undefined || !ATTR.test(head[1] ?? '')) return undefined;
  return fileText.split(/\r?\n\s*\r?\n/).map((b) => b.trim()).filter((b) => b.length > 0);
}
