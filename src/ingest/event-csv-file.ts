// Windows events saved as CSV, for `aaawatch import`:
//
// - Event Viewer's "Save All Events As… CSV": a header naming five columns, `Level` (`Keywords` in
//   the Security log's view: `Audit Success`), `Date and Time` (the saving host's wall clock in its
//   own date format), `Source`, `Event ID`, `Task Category`, and each row a sixth, unnamed value:
//   the event's message, quoted, over several lines. It names no computer.
// - `Get-WinEvent | Export-Csv`: every property of the event by name (`Message`, `Id`,
//   `ProviderName`, `TimeCreated`, `MachineName`, `TaskDisplayName`, `Keywords` as a signed
//   64-bit number), behind a `#TYPE …` line unless `-NoTypeInformation` was given.
//
// Read as lines, a message's lines were fragments no platform reads. Each row is handed on as the
// Snare line (`MSWinEventLog`, tab-separated, the message's tabs and line breaks made runs of
// spaces as Snare makes them) a Windows host sends for that event over syslog, and read by the
// Windows platform as one: the same records, the event's time read in the host's zone. A file
// that names no computer gives records of the device `--source` names.

import { csvFields } from '../csv-fields.js';
import type { ImportFormat, ImportItem, ImportReader } from '../types.js';

/** The columns a row is read from, by the names each tool gives them. */
const COLUMNS = {
  message: ['Message'],
  id: ['Event ID', 'Id'],
  time: ['Date and Time', 'TimeCreated'],
  source: ['Source', 'ProviderName'],
  task: ['Task Category', 'TaskDisplayName'],
  computer: ['MachineName', 'Computer'],
  outcome: ['Keywords', 'KeywordsDisplayNames', 'Level'],
} as const;

/** The Keywords bit of a Security-log event that failed (Audit Failure, 0x0010000000000000). */
const AUDIT_FAILURE = 1n << 52n;

/** A header line is Event Viewer's (these three names) or Export-Csv's (these four). */
function isHeader(names: readonly string[]): boolean {
  const has = (n: string): boolean => names.includes(n);
  return (has('Date and Time') && has('Event ID') && has('Source')) || (has('TimeCreated') && has('Id') && has('Message') && has('ProviderName'));
}

/**
 * Whether a file beginning with `head` is such a CSV: its first line (after a byte order mark and
 * PowerShell's `#TYPE` line) is one of the two headers.
 */
export function claimsEventCsv(head: string): boolean {
  const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/, 3);
  const first = lines[0]?.startsWith('#TYPE ') ? lines[1] : lines[0];
  const names = first === undefined ? undefined : csvFields(first);
  return names !== undefined && isHeader(names);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The saving host's wall-clock time in Snare's ctime form (`Fri Sep 17 16:37:26 2021`), from the
 * date forms Windows cultures write: `9/17/2021 4:37:26 PM` (month first where there is AM/PM,
 * en-US), `17/09/2021 16:37:26` (day first without, en-GB, fr-FR), `17.09.2021 16:37:26` (de-DE),
 * `2021/09/17 16:37:26` or `2021-09-17 16:37:26` (ja-JP, ISO). Empty when it is none of them.
 */
export function ctimeOf(text: string): string {
  const m = /^\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})[ T]+(\d{1,2}):(\d{2}):(\d{2})(?:\s*([AaPp])\.?[Mm]\.?)?\s*$/.exec(text);
  if (!m) return '';
  const [a, b, c, h, min, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ampm = m[7]?.toUpperCase();
  let year: number;
  let month: number;
  let day: number;
  if (m[1]!.length === 4) [year, month, day] = [a, b, c];
  else if (m[3]!.length !== 4) return '';
  else if (ampm) [year, month, day] = [c, a, b];
  else [year, month, day] = [c, b, a];
  if (ampm !== undefined && (h < 1 || h > 12)) return '';
  const hour = ampm === undefined ? h : (h % 12) + (ampm === 'P' ? 12 : 0);
  const date = new Date(Date.UTC(year, month - 1, day, hour, min, s));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || min > 59 || s > 59) return '';
  return `${DAYS[date.getUTCDay()]} ${MONTHS[month - 1]} ${pad(day)} ${pad(hour)}:${pad(min)}:${pad(s)} ${year}`;
}

/** Whether the row's outcome column says the event failed: `Audit Failure`, or Keywords' failure bit. */
function failed(outcome: string | undefined): boolean {
  if (outcome === undefined) return false;
  if (/^-?\d+$/.test(outcome)) return (BigInt.asUintN(64, BigInt(outcome)) & AUDIT_FAILURE) !== 0n;
  return /failure/i.test(outcome);
}

/** Snare flattens a message's tabs and line breaks: a run of them is a run of spaces, which still separates a label from its value. */
const flatten = (message: string): string => message.replace(/[ ]*[\t\r\n][\t\r\n ]*/g, '   ').trim();
/** A field of a Snare line holds no tab or line break. */
const field = (text: string | undefined): string => (text ?? '').replace(/[\t\r\n]+/g, ' ');

/** The rows of such a file as the text arrives; a row longer than `maxChars` is counted, not kept. */
export class EventCsv implements ImportReader {
  private pending = '';
  /** Where the quotes of the row being read stand: inside a quoted value after `scanned`. */
  private quoted = false;
  private scanned = 0;
  private skipping = false;
  private columns: Map<string, number> | undefined;
  /** Event Viewer's message: the value after the named columns. */
  private messageAt = -1;

  constructor(private readonly maxChars: number) {}

  push(text: string): ImportItem[] {
    this.pending += text;
    const out: ImportItem[] = [];
    for (;;) {
      const end = this.rowEnd();
      if (end < 0) break;
      const row = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 1);
      this.scanned = 0;
      this.quoted = false;
      if (this.skipping) this.skipping = false;
      else if (row.length > this.maxChars) out.push({ malformed: 'oversize-record', sample: row.slice(0, 256) });
      else this.row(row.endsWith('\r') ? row.slice(0, -1) : row, out);
    }
    if (!this.skipping && this.pending.length > this.maxChars) {
      out.push({ malformed: 'oversize-record', sample: this.pending.slice(0, 256) });
      this.skipping = true;
      // The rest of the row is skipped up to an LF outside quotes, as it is scanned.
      this.pending = this.pending.slice(this.scanned);
      this.scanned = 0;
    } else if (this.skipping) {
      this.pending = this.pending.slice(this.scanned);
      this.scanned = 0;
    }
    return out;
  }

  end(): ImportItem[] {
    const out: ImportItem[] = [];
    const rest = this.pending.replace(/\r$/, '');
    this.pending = '';
    if (this.skipping || this.quoted) out.push({ malformed: 'csv-row', sample: 'the file ends inside a row' });
    else if (rest.trim()) this.row(rest, out);
    return out;
  }

  /** The index of the LF ending the row at the start of `pending`, outside quotes; -1 while it has not all arrived. */
  private rowEnd(): number {
    let i = this.scanned;
    for (;;) {
      if (this.quoted) {
        const q = this.pending.indexOf('"', i);
        if (q < 0) {
          this.scanned = this.pending.length;
          return -1;
        }
        // A doubled quote inside a value, or one whose second half has not arrived.
        if (q + 1 >= this.pending.length) {
          this.scanned = q;
          return -1;
        }
        if (this.pending[q + 1] === '"') {
          i = q + 2;
          continue;
        }
        this.quoted = false;
        i = q + 1;
        continue;
      }
      const q = this.pending.indexOf('"', i);
      const nl = this.pending.indexOf('\n', i);
      if (nl >= 0 && (q < 0 || nl < q)) return nl;
      if (q < 0) {
        this.scanned = this.pending.length;
        return -1;
      }
      this.quoted = true;
      i = q + 1;
    }
  }

  private row(line: string, out: ImportItem[]): void {
    if (!line.trim()) return;
    if (this.columns === undefined) {
      const text = line.replace(/^\uFEFF/, '');
      if (text.startsWith('#TYPE ')) return;
      const names = csvFields(text);
      if (!names || !isHeader(names)) {
        out.push({ malformed: 'csv-row', sample: line.slice(0, 256) });
        return;
      }
      this.columns = new Map(names.map((n, i) => [n, i]));
      this.messageAt = names.includes('Message') ? -1 : names.length;
      return;
    }
    const values = csvFields(line);
    if (!values) {
      out.push({ malformed: 'csv-row', sample: line.slice(0, 256) });
      return;
    }
    const get = (names: readonly string[]): string | undefined => {
      for (const n of names) {
        const at = this.columns!.get(n);
        if (at !== undefined) return values[at];
      }
      return undefined;
    };
    const id = get(COLUMNS.id)?.trim();
    const message = this.messageAt >= 0 ? values[this.messageAt] : get(COLUMNS.message);
    if (id === undefined || !/^\d{1,5}$/.test(id) || message === undefined) {
      out.push({ malformed: 'csv-row', sample: line.slice(0, 256) });
      return;
    }
    out.push({
      text: [
        'MSWinEventLog', '1', 'Security', '0', ctimeOf(get(COLUMNS.time) ?? ''), id, field(get(COLUMNS.source)), 'N/A', 'N/A',
        failed(get(COLUMNS.outcome)) ? 'Failure Audit' : 'Success Audit', field(get(COLUMNS.computer)), field(get(COLUMNS.task)), '', flatten(message), '0',
      ].join('\t'),
    });
  }
}

/** The format `aaawatch import` tries after the platforms' own. */
export const eventCsv: ImportFormat = { claims: claimsEventCsv, reader: (maxChars) => new EventCsv(maxChars) };
