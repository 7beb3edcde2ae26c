// Huawei VRP's syslog header, which the shared scanner does not read: the stamp forms of
// `info-center timestamp log` and the hostname before Huawei's `%%` module tag.
//   Jan 8 2013 03:58:15+07:00 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:Recorded command information. …
//   2011-08-18 18:08:56 HUAWEI %%01…
//   2018/10/05 09:52:14 USG6300 %%01URL/4/FILTER(l): …         (USG firewalls)
//   Oct  5 2018 10:52:19 USG6300 %%01POLICY/6/POLICYPERMIT(l):…
//   2020-10-23 03:17:45 HUAWEI 192.168.0.58 23 6 %%01SHELL/6/DISPLAY_CMDRECORD(s)[204]: …  (relay-prefixed)
// The zone is printed only when configured (`+07:00`, `-08:00`, then ` DST` in summer time);
// milliseconds (`.123`) only with `millisecond`. Without a zone the device's configured zone applies.
// Huawei's ISO form (`2013-01-08T03:58:15+07:00 HUAWEI …`) is already read by the shared scanner.

import type { HeaderQuirk, QuirkHeader } from '../../src/types.js';
import { digitsAt } from '../lib/digits.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Stamp (month-name or numeric date), optional fraction and zone, optional DST, the hostname, and
// Huawei's `%%` + two-digit version that starts every VRP message.
// A relay may write its own address, the facility and the severity between the hostname and the
// tag (`2020-10-23 03:17:45 HUAWEI 192.168.0.58 23 6 %%01…`): skipped, the hostname kept.
const HEADER = /(?:([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{4})|(\d{4})([-/])(\d{2})\5(\d{2})) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2}):(\d{2}))?(?: DST)? ([^\s%]{1,255})( \d{1,3}(?:\.\d{1,3}){3} \d{1,2} [0-7])? (?=%%\d\d)/y;

/**
 * The expression's own first characters, tested before it runs: `Mon ` or a year and `-` or `/`.
 * The sticky expression fails at the first character for every other vendor's line (a FortiOS
 * `date=…`, a JSON body), but calling it costs the call: the quirks run on every line the scanner
 * finds neither host nor tag in (FortiGate's `date=` lines, a tenth of bench:parse), where the two
 * quirks' expressions were 1.3% of the bench's CPU (profile, 2026-12-03).
 */
function mayStart(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  if (c >= 65 && c <= 90) {
    const a = line.charCodeAt(i + 1);
    const b = line.charCodeAt(i + 2);
    return a >= 97 && a <= 122 && b >= 97 && b <= 122 && line.charCodeAt(i + 3) === 32;
  }
  const sep = line.charCodeAt(i + 4);
  return digitsAt(line, i, 4) >= 0 && (sep === 45 || sep === 47);
}

function read(line: string, start: number): QuirkHeader | undefined {
  if (!mayStart(line, start)) return undefined;
  HEADER.lastIndex = start;
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const month = m[1] !== undefined ? MONTHS.indexOf(m[1]) : Number(m[6]) - 1;
  const day = Number(m[2] ?? m[7]);
  const year = Number(m[3] ?? m[4]);
  const [h, mi, sec] = [Number(m[8]), Number(m[9]), Number(m[10])];
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60 || year < 1970 || year > 2199) return undefined;
  const ms = ((h * 60 + mi) * 60 + Math.min(sec, 59)) * 1000 + (m[11] ? Number(m[11].padEnd(3, '0').slice(0, 3)) : 0);
  let offset: number | undefined;
  if (m[12] !== undefined) {
    const minutes = Number(m[13]) * 60 + Number(m[14]);
    if (minutes > 14 * 60 || Number(m[14]) > 59) return undefined;
    offset = m[12] === '-' ? -minutes : minutes;
  }
  const hostname = m[15]!;
  const stampEnd = m.index + m[0].length - hostname.length - (m[16]?.length ?? 0) - 2;
  return {
    timeText: line.slice(start, stampEnd),
    year, month, day, ms, offset, hostname,
    body: m.index + m[0].length,
  };
}

export const header: HeaderQuirk = { read };
