// The reconciliation as CSV (rows only, RFC 4180) and as JSON (header block, rows and findings).

import { toCsv } from './csv.js';
import type { ExportDocument } from './document.js';
import { REPORT_COLUMNS, type ReconciliationRow } from '../reconcile/report.js';

/** A row's cell for a column: text and numbers as they are, anything else (a nested list) as JSON. */
export function cellOf(r: ReconciliationRow, key: keyof ReconciliationRow): string | number | null {
  const v = r[key];
  return v === null || typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v);
}

export function reconciliationCsv(doc: ExportDocument): string {
  return toCsv(
    REPORT_COLUMNS.map(([name]) => name),
    doc.rows.map((r) => REPORT_COLUMNS.map(([, key]) => cellOf(r, key))),
  );
}

/**
 * JSON with `<`, `>`, `&` and the line separators escaped: the file stays inert even if
 * something later pastes it into a page or a script block.
 */
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function reconciliationJson(doc: ExportDocument): string {
  return safeJson({
    header: doc.header,
    columns: REPORT_COLUMNS.map(([name, key]) => ({ name, field: key })),
    rows: doc.rows,
    findings: doc.findings,
  }) + '\n';
}
