// The PDF for sign-off (pdfkit): a header block (scope, period, generated at, version, appliance,
// sources with their queries and row counts, the record chain's head), then the findings and the
// reconciliation tables, with the header row repeated on every page and "page n of m" below.
// The built-in Helvetica needs no font file on the appliance; it draws Windows-1252 text, so
// other characters are shown as `?` (the CSV and JSON keep them) and control characters as
// `\xNN`, like everywhere else.

import PDFDocument from 'pdfkit';
import type { ExportDocument } from './document.js';
import { REPORT_COLUMNS, type ReconciliationRow } from '../reconcile/report.js';
import { cellOf } from './formats.js';
import { visibleLine } from './text.js';

/** Rows drawn per table at most: the sign-off copy stays readable; the CSV and JSON hold every row. */
export const PDF_ROW_LIMIT = 2000;

const WINANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

export function pdfText(value: string | number | null | undefined, max = 400): string {
  if (value === null || value === undefined) return '';
  const text = visibleLine(String(value));
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return [...cut].map((c) => (/[\x20-\x7e\xa0-\xff]/.test(c) || WINANSI_EXTRA.includes(c) ? c : '?')).join('');
}

interface Column {
  title: string;
  /** Share of the page width. */
  weight: number;
}

const PAGE = { margin: 36, font: 7.5, pad: 2.5 };

function drawTable(doc: PDFKit.PDFDocument, columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): void {
  const left = PAGE.margin;
  const width = doc.page.width - 2 * PAGE.margin;
  const total = columns.reduce((a, c) => a + c.weight, 0);
  const widths = columns.map((c) => (c.weight / total) * width);
  const bottom = (): number => doc.page.height - PAGE.margin - 14;
  const heightOf = (cells: readonly string[], bold: boolean): number => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(PAGE.font);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * PAGE.pad }))) + 2 * PAGE.pad;
  };
  const drawRow = (cells: readonly string[], bold: boolean, shade: boolean): void => {
    const h = heightOf(cells, bold);
    if (doc.y + h > bottom()) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.title), true, true);
    }
    const y = doc.y;
    if (shade) doc.save().rect(left, y, width, h).fill(bold ? '#dde3ea' : '#f4f6f8').restore();
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(PAGE.font).fillColor('#111');
    let x = left;
    cells.forEach((c, i) => {
      doc.text(c, x + PAGE.pad, y + PAGE.pad, { width: widths[i]! - 2 * PAGE.pad, lineBreak: true });
      x += widths[i]!;
    });
    doc.save().moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(0.3).strokeColor('#c8cdd3').stroke().restore();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(columns.map((c) => c.title), true, true);
  rows.forEach((r, i) => drawRow(r, false, i % 2 === 1));
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  if (doc.y > doc.page.height - 120) doc.addPage();
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor('#111').text(text, PAGE.margin, doc.y).moveDown(0.3);
}

function limitNote(doc: PDFKit.PDFDocument, shown: number, total: number): void {
  if (total > shown) {
    doc.font('Helvetica-Oblique').fontSize(8).text(`The first ${shown} of ${total} rows are shown here; the CSV and JSON files hold all ${total}.`).moveDown(0.3);
  }
}

const FINDING_COLUMNS: Column[] = [
  { title: '#', weight: 4 },
  { title: 'Severity', weight: 6 },
  { title: 'Status', weight: 8 },
  { title: 'Kind', weight: 11 },
  { title: 'Device', weight: 11 },
  { title: 'Account', weight: 9 },
  { title: 'Summary / attribution', weight: 32 },
  { title: 'Last seen', weight: 10 },
  { title: 'Reviewer', weight: 7 },
  { title: 'Decision', weight: 8 },
  { title: 'Decided at', weight: 10 },
];

/** The reconciliation columns shown in the PDF (the CSV has them all). */
const RECON: ReadonlyArray<readonly [keyof ReconciliationRow, string, number]> = [
  ['device', 'Device', 10],
  ['account', 'Account', 9],
  ['type', 'Type', 6],
  ['privilege', 'Privilege', 7],
  ['rosterMatch', 'Roster', 7],
  ['owner', 'Owner', 7],
  ['approvalRef', 'Approval', 7],
  ['createdAt', 'Created at', 10],
  ['createdBy', 'Created by', 7],
  ['path', 'Path', 4],
  ['lastLogin', 'Last login', 10],
  ['daysInactive', 'Idle days', 5],
  ['findingKind', 'Finding', 9],
  ['status', 'Status', 7],
  ['reviewer', 'Reviewer', 7],
  ['decision', 'Decision', 7],
  ['decidedAt', 'Decided at', 10],
];

export function reconciliationPdf(d: ExportDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: d.header.title, Author: `aaawatch ${d.header.version}`, Subject: `${d.header.period.from} – ${d.header.period.to}`, CreationDate: new Date(d.header.generatedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const h = d.header;
  doc.font('Helvetica-Bold').fontSize(16).text(pdfText(h.title));
  doc.moveDown(0.4);
  const facts: Array<[string, string]> = [
    ['Scope', h.scope],
    ['Period', `${h.period.from} to ${h.period.to} (UTC)`],
    ['Generated at', `${h.generatedAt} (UTC) by ${h.generatedBy} on ${h.appliance}`],
    ['aaawatch version', h.version],
    ['Record chain', h.chain.head ? `${h.chain.records} records, last id ${h.chain.lastId}, head ${h.chain.head}` : 'no records stored'],
  ];
  for (const [k, v] of facts) {
    doc.font('Helvetica-Bold').fontSize(9).text(`${k}: `, { continued: true }).font('Helvetica').text(pdfText(v, 600));
  }
  heading(doc, 'Sources');
  drawTable(doc, [{ title: 'Source', weight: 15 }, { title: 'What was read', weight: 70 }, { title: 'Rows', weight: 8 }], h.sources.map((s) => [pdfText(s.name), pdfText(s.query), String(s.rows)]));
  heading(doc, `Findings (${d.findings.length})`);
  limitNote(doc, Math.min(PDF_ROW_LIMIT, d.findings.length), d.findings.length);
  drawTable(
    doc,
    FINDING_COLUMNS,
    d.findings.slice(0, PDF_ROW_LIMIT).map((f) => [String(f.id), f.severity, f.status, f.kind, f.device, f.account, f.summary, f.lastSeen, f.reviewer, f.decision, f.decidedAt].map((c) => pdfText(c))),
  );
  heading(doc, `Reconciliation (${d.rows.length} rows)`);
  limitNote(doc, Math.min(PDF_ROW_LIMIT, d.rows.length), d.rows.length);
  drawTable(
    doc,
    RECON.map(([, title, weight]) => ({ title, weight })),
    d.rows.slice(0, PDF_ROW_LIMIT).map((r) => RECON.map(([key]) => pdfText(cellOf(r, key)))),
  );
  doc.moveDown(1).font('Helvetica').fontSize(8).text(`Columns in the CSV: ${REPORT_COLUMNS.map(([n]) => n).join(', ')}. The JSON holds them all, with every finding of each row.`, PAGE.margin);
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: without this, pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(7).fillColor('#555')
      .text(`${pdfText(h.title)} · generated ${h.generatedAt} · page ${i + 1} of ${range.count}`, PAGE.margin, doc.page.height - PAGE.margin + 8, { lineBreak: false });
  }
  doc.end();
  return done;
}
