// One Linux audit record, in the forms it reaches a collector:
//   type=ADD_USER msg=audit(1610903553.730:591): pid=2945 uid=0 auid=1000 ses=14 msg='op=adding user id=1004 exe="/usr/sbin/useradd" hostname=h addr=127.0.0.1 terminal=pts/2 res=success'
// from audit.log (optionally `node=host ` first, and with `log_format = ENRICHED` the names
// `UID="root" AUID="admin" ID="bob"` after the quoted part), through audispd/audisp-syslog, from
// the kernel when auditd is not running (`audit: type=1114 audit(…): …`), and from journald
// (`audit[2945]: ADD_USER pid=2945 …`, no serial).

export interface AuditRecord {
  node?: string | undefined;
  type: string;
  /** Epoch seconds with fraction, from `audit(…)`. */
  seconds?: number | undefined;
  serial?: string | undefined;
  /**
   * Outer and inner (`msg='…'`) fields, the first occurrence of each name, as written: a
   * double-quoted value keeps its quotes, because auditd writes an untrusted value (acct, exe,
   * name) either quoted or, when it holds spaces or quotes, hex-encoded. Read them with `value`.
   */
  fields: Record<string, string>;
}

// The kernel names user-space record types by number (linux/audit.h, libaudit.h).
const NUMBERED: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  '1102': 'USER_MGMT', '1108': 'USER_CHAUTHTOK', '1114': 'ADD_USER', '1115': 'DEL_USER', '1116': 'ADD_GROUP',
  '1117': 'DEL_GROUP', '1132': 'GRP_MGMT', '1133': 'GRP_CHAUTHTOK', '1135': 'ACCT_LOCK', '1136': 'ACCT_UNLOCK',
  '1300': 'SYSCALL', '1302': 'PATH',
});

const HEAD = /^(?:node=(\S{1,255}) )?type=([A-Z_]{2,32}|\d{4}) (?:msg=)?audit\((\d{1,12}(?:\.\d{1,6})?):(\d{1,20})\): ?/;
const JOURNAL_HEAD = /^([A-Z_]{2,32}) (?=pid=)/;
const MAX_FIELDS = 128;

/**
 * The separator `log_format = ENRICHED` writes before the names it adds (0x1d), as rsyslog keeps it
 * in a record it relayed: it escapes every control character it receives, `'#035UID="root"`
 * (imfile reading audit.log, or audisp-syslog through the local rsyslog; a real file of them is in
 * the corpus, public-rsyslog-imfile-auditd-enriched.relevant). Read as the byte it stands for,
 * else `#035UID` is no field name and the UID auditd resolved is lost.
 */
const ESCAPED_GS = /#035(?=[A-Z])/g;

export function readAuditRecord(record: string): AuditRecord | undefined {
  if (record.length > 16_384) return undefined;
  const text = record.includes('#035') ? record.replace(ESCAPED_GS, '\x1d') : record;
  const m = HEAD.exec(text);
  if (m) {
    const type = NUMBERED[m[2]!] ?? m[2]!;
    return { node: m[1], type, seconds: Number(m[3]), serial: m[4], fields: readFields(text, m[0].length) };
  }
  const j = JOURNAL_HEAD.exec(text);
  if (j) return { type: j[1]!, fields: readFields(text, j[0].length) };
  return undefined;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 0x1d;

function wordEnd(s: string, from: number, end: number): number {
  let k = from;
  while (k < end && !isSpace(s.charCodeAt(k))) k++;
  return k;
}

/** `name=value` pairs; values bare, "double-quoted", or 'single-quoted' (whose content is read as fields too). */
function readFields(s: string, from: number): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  let count = 0;
  const read = (start: number, end: number): void => {
    let i = start;
    while (i < end && count < MAX_FIELDS) {
      while (i < end && isSpace(s.charCodeAt(i))) i++;
      const eq = s.indexOf('=', i);
      if (eq < 0 || eq >= end) return;
      const name = s.slice(i, eq);
      if (!/^[\w-]{1,64}$/.test(name)) {
        // Not a field (a stray word): skip to the next separator.
        i = wordEnd(s, i, end) + 1;
        continue;
      }
      const q = s.charCodeAt(eq + 1);
      let valueEnd: number;
      let text: string;
      if (q === 34 || q === 39) {
        const close = s.indexOf(q === 34 ? '"' : "'", eq + 2);
        valueEnd = close < 0 || close > end ? end : close;
        text = q === 34 ? s.slice(eq + 1, Math.min(valueEnd + 1, end)) : s.slice(eq + 2, valueEnd);
        if (q === 39) read(eq + 2, valueEnd);
        i = valueEnd + 1;
      } else {
        valueEnd = wordEnd(s, eq + 1, end);
        // shadow-utils writes `op` unquoted with spaces (`op=adding user to shadow group acct=…`):
        // it runs up to the next `name=`.
        if (name === 'op') {
          while (valueEnd < end) {
            const next = wordEnd(s, valueEnd + 1, end);
            if (s.slice(valueEnd + 1, next).includes('=')) break;
            valueEnd = next;
          }
        }
        text = s.slice(eq + 1, valueEnd);
        i = valueEnd;
      }
      if (out[name] === undefined) {
        out[name] = text;
        count++;
      }
    }
  };
  read(from, s.length);
  return out;
}

/** A field's text: quotes removed, hex decoded, and auditd's `?`/`(null)`/`unset` placeholders as undefined. */
export function value(r: AuditRecord, name: string): string | undefined {
  const v = r.fields[name];
  if (v === undefined || v === '' || v === '?' || v === '(null)' || v === 'unset') return undefined;
  if (v.charCodeAt(0) === 34) {
    const inner = v.slice(1, v.endsWith('"') && v.length > 1 ? -1 : undefined);
    return inner === '' || inner === '?' ? undefined : inner;
  }
  if (HEX_ENCODED.has(name) && v.length % 2 === 0 && v.length <= 1024 && /^[0-9A-F]+$/.test(v)) {
    const decoded = Buffer.from(v, 'hex').toString('utf8');
    if (/^[^\x00-\x1f]+$/.test(decoded)) return decoded;
  }
  return v;
}

// Fields auditd hex-encodes when their text is not plain (audit-userspace lib/audit_logging.c,
// kernel audit_log_untrustedstring).
const HEX_ENCODED = new Set(['acct', 'exe', 'comm', 'name', 'cwd', 'key', 'grp', 'new_group']);
