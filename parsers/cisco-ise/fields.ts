// The text of one (reassembled) ISE message:
//   2020-02-21 19:13:08.328 +00:00 0018415781 3300 NOTICE Tacacs-Accounting: TACACS+ Accounting
//   with Command, ConfigVersionId=1829, Device IP Address=81.2.69.144, CmdSet=[ CmdAV=show
//   mac-address-table <cr> ], …, Response={AcctReply-Status=Success; }
// A stamp, a sequence number, the message code, a severity, `Class: description`, then
// `Name=value` attributes separated by `, ` (names may hold spaces; some repeat, such as AVPair).

export interface IseMessage {
  stamp: string;
  code: string;
  description: string;
  /** Attribute name → values in order of appearance. */
  attrs: Record<string, string[]>;
}

const HEADER =
  /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})? ?[+-]\d{2}:?\d{2}) \d+ (\d{3,6}) [A-Z]+ [\w-]{1,64}: /;

// An attribute name as ISE prints them: `User`, `Device IP Address`, `Model Name`, `cisco-av-pair`.
const NAME = /^[A-Za-z][\w .#:-]{0,63}$/;

const MAX_ATTRS = 512;

export function readIseMessage(text: string): IseMessage | undefined {
  const h = HEADER.exec(text);
  if (!h) return undefined;
  const attrs: Record<string, string[]> = Object.create(null);
  let i = h[0].length;
  let end = nextBoundary(text, i);
  const description = text.slice(i, end).trim();
  let count = 0;
  while (end < text.length && count < MAX_ATTRS) {
    i = end + 2;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const name = text.slice(i, eq);
    const value = readValue(text, eq + 1);
    end = value.end;
    if (NAME.test(name)) {
      (attrs[name] ??= []).push(value.text.trim());
      count++;
    }
  }
  return { stamp: h[1]!, code: h[2]!, description, attrs };
}

/** The value starting at i, which ends at the next `, Name=` boundary (brackets kept whole). */
function readValue(text: string, i: number): { text: string; end: number } {
  const open = text.charCodeAt(i);
  if (open === 91 /* [ */ || open === 123 /* { */) {
    // CmdSet=[ … ] and Response={ … }: the command inside may contain `, `.
    const close = text.indexOf(open === 91 ? ' ]' : '}', i);
    if (close >= 0) {
      const after = close + (open === 91 ? 2 : 1);
      return { text: text.slice(i, after), end: nextBoundary(text, after) };
    }
  }
  const end = nextBoundary(text, i);
  return { text: text.slice(i, end), end };
}

/** Index of the next `, ` followed by an attribute name and `=`, or the text length. */
function nextBoundary(text: string, from: number): number {
  let i = from;
  for (;;) {
    const comma = text.indexOf(', ', i);
    if (comma < 0) return text.length;
    const eq = text.indexOf('=', comma + 2);
    if (eq > comma + 2 && eq - comma <= 66 && NAME.test(text.slice(comma + 2, eq))) return comma;
    i = comma + 2;
  }
}

// The attributes that name the NAS, in the order records prefer them (records.ts `origin`).
const NAS = /(?:^|, ?)(NetworkDeviceName|NAS-Identifier|Device IP Address|NAS-IP-Address)=([^,]{1,256})/g;
const NAS_ORDER = ['NetworkDeviceName', 'NAS-Identifier', 'Device IP Address', 'NAS-IP-Address'];

/**
 * The NAS a piece of message text names, for a message that could not be read whole (segments
 * lost): the device its loss is counted against. Undefined when the pieces that arrived do not say.
 */
export function nasOf(text: string): string | undefined {
  let best: string | undefined;
  let rank = NAS_ORDER.length;
  for (const m of text.matchAll(NAS)) {
    const r = NAS_ORDER.indexOf(m[1]!);
    const value = m[2]!.trim();
    if (r < rank && value !== '') {
      best = value;
      rank = r;
      if (r === 0) break;
    }
  }
  return best;
}

export function first(m: IseMessage, name: string): string | undefined {
  const v = m.attrs[name]?.[0];
  return v === undefined || v === '' ? undefined : v;
}

/** The value of `AVPair=name=value` (TACACS+ attribute-value pairs ISE relays). */
export function avPair(m: IseMessage, name: string): string | undefined {
  const prefix = name + '=';
  for (const v of m.attrs.AVPair ?? []) if (v.startsWith(prefix)) return v.slice(prefix.length) || undefined;
  return undefined;
}

/** The command in `CmdSet=[ CmdAV=username CmdArgAV=bob CmdArgAV=<cr> ]`, arguments joined by spaces. */
export function commandOf(m: IseMessage): string | undefined {
  const set = first(m, 'CmdSet');
  if (!set || !set.startsWith('[')) return undefined;
  const inner = set.slice(1, set.endsWith(']') ? -1 : undefined);
  const parts: string[] = [];
  for (const piece of inner.split(/\s(?=Cmd(?:Arg)?AV=)/)) {
    const p = piece.trim();
    if (p.startsWith('CmdAV=')) parts.push(p.slice(6));
    else if (p.startsWith('CmdArgAV=')) parts.push(p.slice(9));
  }
  const cmd = parts.join(' ').trim();
  return cmd.length > 0 ? cmd : undefined;
}
