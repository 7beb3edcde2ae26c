// Comware 5's header, which the shared scanner does not read: a leading `%`, milliseconds after a
// colon (when the device prints them), the year after the time, and no `%%` before the module
// (`%Jan  2 05:56:23:694 2013 SW-1 SHELL/5/SHELL_LOGIN: xjdl logged in from 172.20.99.241.`, corpus
// h3c-comware/public-lab-notes-s5130.relevant line 1; `%Jan 15 19:30:23 2020 D-CJ-XGB-S1-1
// SHELL/6/SHELL_SECLOG: …`, public-lab-notes-seclog.relevant line 1). Comware 7's `Dec 17 13:15:38 2019 sw
// %%10SHELL/…` is already read by the shared scanner.

import type { HeaderQuirk, QuirkHeader } from '../../src/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Sticky: fails at the first character (`%` then a month name) for every other line.
const HEADER = /%([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?::(\d{3}))? (\d{4}) ([^\s%]{1,255}) (?=[A-Z][A-Z0-9_]{0,31}\/\d\/)/y;

function read(line: string, start: number): QuirkHeader | undefined {
  // The `%` tested before the expression is called: the call itself is what costs on the lines that
  // reach the quirks (see huawei-vrp/header.ts).
  if (line.charCodeAt(start) !== 37) return undefined;
  HEADER.lastIndex = start;
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!);
  const [day, h, mi, sec, year] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[7])];
  if (month < 0 || day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60 || year < 1970 || year > 2199) return undefined;
  const hostname = m[8]!;
  return {
    timeText: line.slice(start + 1, m.index + m[0].length - hostname.length - 2),
    year, month, day,
    ms: ((h * 60 + mi) * 60 + Math.min(sec, 59)) * 1000 + Number(m[6] ?? 0),
    hostname,
    body: m.index + m[0].length,
  };
}

export const header: HeaderQuirk = { read };
