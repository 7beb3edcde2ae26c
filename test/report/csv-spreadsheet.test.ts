// A CSV export opened as a spreadsheet opens it: LibreOffice Calc (headless) reads the file
// `toCsv` writes (every export's CSV: accounts, findings, decisions, records, activity) with a
// comma as the separator and with a semicolon, as Excel does where the locale lists with `;` and
// LibreOffice does with Semicolon ticked, formulas evaluated. No hostile device string may become
// a formula in either reading, and with the comma each row keeps its three cells.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/report/csv.js';
import { tempDir } from '../support/temp.js';
import { toolOrSkip } from '../support/tools.js';
import { hostileStrings } from '../web/fixture.js';

const dir = tempDir('aaawatch-csv-calc-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The sheet LibreOffice makes of `csv` read with `separator` (a character code), as its content.xml. */
function asCalcReadsIt(soffice: string, csv: string, separator: number): string {
  const name = `export-${separator}`;
  writeFileSync(join(dir, `${name}.csv`), csv);
  execFileSync(
    soffice,
    [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', `--infilter=CSV:${separator},34,76,1`, '--convert-to', 'ods', '--outdir', join(dir, 'out'), join(dir, `${name}.csv`)],
    { stdio: 'ignore', timeout: 120_000 },
  );
  return strFromU8(unzipSync(readFileSync(join(dir, 'out', `${name}.ods`)))['content.xml']!);
}

describe('a CSV export in a spreadsheet', () => {
  it('runs no hostile device string as a formula, read with a comma or a semicolon as the separator', { timeout: 300_000 }, (ctx) => {
    const soffice = toolOrSkip(ctx, 'soffice');
    const hostile = hostileStrings();
    const csv = toCsv(['device', 'account', 'note'], hostile.map((h) => ['core-sw1', h, 'after']));
    // The reading is live: a row as it was written before the apostrophe after `;` (unquoted: no comma, quote or break) is run as a formula.
    expect(asCalcReadsIt(soffice, "device,account,note\r\ncore-sw1,bob;=cmd|' /C calc'!A0,after\r\n", 59)).toContain('table:formula="of:=cmd|');
    for (const separator of [44, 59]) {
      const sheet = asCalcReadsIt(soffice, csv, separator);
      expect(sheet.match(/table:formula="[^"]*"/g), `separator ${String.fromCharCode(separator)}`).toBeNull();
      if (separator === 44) expect(sheet.match(/<text:p>after<\/text:p>/g)?.length).toBe(hostile.length);
    }
  });
});
