// Windows events saved as CSV: rows over several lines read whole however the text is cut, the
// date forms of Windows cultures, and the two headers claimed by the file's first line only.

import { describe, expect, it } from 'vitest';
import { claimsEventCsv, ctimeOf, EventCsv } from '../../src/ingest/event-csv-file.js';
import type { ImportItem } from '../../src/types.js';

function read(text: string, size: number, max = 1 << 16): ImportItem[] {
  const r = new EventCsv(max);
  const out: ImportItem[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...r.push(text.slice(i, i + size)));
  return [...out, ...r.end()];
}

describe('Windows event CSV', () => {
  const header = 'Level,Date and Time,Source,Event ID,Task Category\r\n';
  const row = 'Information,9/17/2021 4:37:26 PM,Microsoft-Windows-Security-Auditing,4726,User Account Management,"A user account was deleted.\r\n\r\nSubject:\r\n\tAccount Name:\t\tadmin\r\n\r\nTarget Account:\r\n\tAccount Name:\t\t""bob""\r\n"\r\n';
  const snare = 'MSWinEventLog\t1\tSecurity\t0\tFri Sep 17 16:37:26 2021\t4726\tMicrosoft-Windows-Security-Auditing\tN/A\tN/A\tSuccess Audit\t\tUser Account Management\t\tA user account was deleted.   Subject:   Account Name:   admin   Target Account:   Account Name:   "bob"\t0';

  it('reads a row over several lines, quotes doubled inside, however the text is cut', () => {
    for (const size of [1, 2, 5, 64, 100_000]) expect(read(header + row + row, size), `chunks of ${size}`).toEqual([{ text: snare }, { text: snare }]);
  });

  it('counts a row longer than the bound and reads the next', () => {
    const long = `Information,9/17/2021 4:37:26 PM,S,4720,T,"${'x\r\n'.repeat(200)}"\r\n`;
    for (const size of [7, 100_000]) expect(read(header + long + row, size, 400).map((i) => ('text' in i ? 'row' : i.malformed))).toEqual(['oversize-record', 'row']);
  });

  it('reads the date forms Windows cultures write, as the host\'s wall clock', () => {
    for (const text of ['9/17/2021 4:37:26 PM', '17/09/2021 16:37:26', '17.09.2021 16:37:26', '2021/09/17 16:37:26', '2021-09-17 16:37:26']) expect(ctimeOf(text), text).toBe('Fri Sep 17 16:37:26 2021');
    expect(ctimeOf('12/1/2021 12:05:00 AM')).toBe('Wed Dec 01 00:05:00 2021');
    for (const text of ['13/13/2021 10:00:00', '9/17/21 4:37:26 PM', 'yesterday', '2/30/2021 1:00:00 PM']) expect(ctimeOf(text), text).toBe('');
  });

  it('claims Event Viewer\'s and Export-Csv\'s headers only', () => {
    expect(claimsEventCsv(`\uFEFF${header}${row}`)).toBe(true);
    expect(claimsEventCsv('Keywords,Date and Time,Source,Event ID,Task Category\r\n')).toBe(true);
    expect(claimsEventCsv('#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"Message","Id","ProviderName","TimeCreated"\r\n')).toBe(true);
    for (const head of ['Date,Time,Event\n', '<13>Nov 21 22:10:01 h1 app: Event ID,Date and Time,Source\n', '"Message","Id"\n']) expect(claimsEventCsv(head), head).toBe(false);
  });
});
