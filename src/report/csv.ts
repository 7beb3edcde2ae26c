// RFC 4180 CSV that is safe to open in a spreadsheet: CRLF line ends, every field quoted when it
// holds a comma, quote, CR or LF (quotes doubled), and text that a spreadsheet would run as a
// formula (starting with = + - @, tab or CR, or their full-width forms) prefixed with an
// apostrophe, as OWASP's CSV-injection guidance says; control characters shown as `\xNN` (a NUL
// or a line break inside a name is evidence, not layout). Numbers are written as numbers.
//
// So is such text after a semicolon: a spreadsheet that reads the file with `;` as its separator
// (Excel where the locale lists with `;`, most of Europe; LibreOffice with Semicolon ticked) makes
// each `;` a cell's start, wherever it stands: LibreOffice ran `bob;=1+2` and
// `x;=HYPERLINK("http://evil.example/","ok")` as formulas, the second though the cell was quoted
// (its quote opens no field there: the field began at the comma before it), so quoting a cell
// that holds a `;` does not help; the apostrophe does.

import { Shown, visibleLine } from './text.js';

/** A `Shown` value (what a reviewer typed) is written without the device gate: it passed its own rule. */
export type CsvValue = Shown | string | number | null | undefined;

const FORMULA = '[=+\\-@\\t\\r\\uff1d\\uff0b\\uff0d\\uff20]';
const FORMULA_START = new RegExp(`^${FORMULA}`);
const FORMULA_AFTER_SEMICOLON = new RegExp(`;(?=${FORMULA})`, 'g');

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = visibleLine(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  if (text.includes(';')) text = text.replace(FORMULA_AFTER_SEMICOLON, ";'");
  return /[",\r\n]/.test(text) || text !== String(value) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
