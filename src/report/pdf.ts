// The PDF for sign-off (pdfkit), laid out for reading: a summary (scope, period, what was found),
// the population, the exceptions (accounts not authorised or with findings not resolved, each with
// its decision), the decisions taken in the period, and the method (sources with their queries and
// row counts, the roster files and their hashes, the record chain's head, how each column is made).
// Tables repeat their header on every page, "page n of m" below. Time columns are as wide as a
// stamp, so a stamp never wraps. The built-in Helvetica needs no font file on the appliance; it
// draws Windows-1252 text, so other characters are shown by their code point, `\u{5e9}` (as
// control characters are `\xNN` everywhere): a `?` for each made two accounts named in Hebrew, or
// `é` and `e` with a combining accent, read alike in the population an auditor samples from.

import type { PopulationRow } from '../reconcile/population.js';
import type { ExportDocument } from './document.js';
import { chainWords, isException, storedWords } from './document.js';
import { factValue, POPULATION_FACTS, type PopulationTitle } from './formats.js';
import { Shown, typed, visibleLine } from './text.js';

const WINANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

export function pdfText(value: Shown | string | number | null | undefined, max = 400): string {
  if (value === null || value === undefined) return '';
  const text = visibleLine(value instanceof Shown ? value : String(value));
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return [...cut].map((c) => (/[\x20-\x7e\xa0-\xff]/.test(c) || WINANSI_EXTRA.includes(c) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`)).join('');
}

/** `2026-11-20 14:02` (UTC, said once in the header): the minute is what a reader needs. */
export function stamp(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

const STAMP_SAMPLE = '0000-00-00 00:00';

/**
 * A table column: `fit` columns are as wide as the widest of their title and the sample (a stamp,
 * a severity word) and never wrap; the others share the rest of the page by weight, each at least
 * as wide as its `min` sample (a labelled stamp on a line of its own does not wrap either).
 */
export interface Column {
  title: string;
  weight?: number;
  fit?: string;
  min?: string;
}

export const PAGE = { margin: 36, font: 7, pad: 2.5 };

/**
 * Helvetica is not embedded: a reader without it draws a substitute (pdfium uses DejaVu Sans, up
 * to a tenth wider), so fitted widths keep that much to spare.
 */
const SUBSTITUTE_SPARE = 1.15;

/** Column widths on a page `width` wide: fitted columns first, the rest by weight. */
export function columnWidths(doc: PDFKit.PDFDocument, columns: readonly Column[], width: number): number[] {
  const fitted = columns.map((c) => {
    if (c.fit === undefined) return undefined;
    const body = doc.font('Helvetica').fontSize(PAGE.font).widthOfString(c.fit);
    const head = doc.font('Helvetica-Bold').fontSize(PAGE.font).widthOfString(c.title);
    return Math.ceil(Math.max(body, head) * SUBSTITUTE_SPARE) + 2 * PAGE.pad;
  });
  const least = columns.map((c) => (c.min === undefined ? 0 : Math.ceil(doc.font('Helvetica').fontSize(PAGE.font).widthOfString(c.min) * SUBSTITUTE_SPARE) + 2 * PAGE.pad));
  // A column its share leaves narrower than its sample is held at the sample; the rest share what is left.
  const held = new Map<number, number>();
  for (;;) {
    const left = width - fitted.reduce<number>((a, w) => a + (w ?? 0), 0) - [...held.values()].reduce((a, w) => a + w, 0);
    const weights = columns.reduce((a, c, i) => a + (fitted[i] === undefined && !held.has(i) ? (c.weight ?? 1) : 0), 0);
    const share = (i: number): number => (left * (columns[i]!.weight ?? 1)) / weights;
    const narrow = columns.findIndex((_, i) => fitted[i] === undefined && !held.has(i) && share(i) < least[i]!);
    if (narrow < 0) return columns.map((_, i) => fitted[i] ?? held.get(i) ?? share(i));
    held.set(narrow, least[narrow]!);
  }
}

/**
 * A stamp inside free text (a decision's "until 2027-01-31 23:59", a summary's "created 2026-12-06
 * 02:42 UTC") held together by no-break spaces, which Helvetica draws as spaces: a cell wrapped
 * between its day and its time (a reviewer's acceptance end read "until 2027-01-31" above "23:59").
 */
export function glueStamps(text: string): string {
  return text.replace(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2})?)( UTC\b)?/g, (_, day: string, time: string, utc?: string) => `${day}\u00a0${time}${utc ? '\u00a0UTC' : ''}`);
}

/**
 * One pass over the document (pdfChunks): a first that draws no table cell and only measures the
 * rows and counts the pages, and a second that draws them with "page n of m" below each as it is
 * left. Both lay out alike, so both break pages at the same rows.
 */
interface Pass {
  doc: PDFKit.PDFDocument;
  draw: boolean;
  /** The page being laid out, from 1. */
  page: number;
  /** The pages in all (the first pass's count), for the footer. */
  total: number;
  footer: string;
  /**
   * Each table row's height, in drawing order: the first pass measures them, the second reads them
   * back rather than wrap every cell a second time before drawing it (a third of its CPU, pdfkit's
   * line wrapping being most of it). Eight bytes a row.
   */
  heights: number[];
  row: number;
}

function footer(p: Pass): void {
  if (!p.draw) return;
  // Below the bottom margin: without this, pdfkit would start a new page for the footer.
  p.doc.page.margins.bottom = 0;
  p.doc.font('Helvetica').fontSize(7).fillColor('#555').text(`${p.footer} · page ${p.page} of ${p.total}`, PAGE.margin, p.doc.page.height - PAGE.margin + 8, { lineBreak: false });
}

/** The page is done: its footer drawn, a new one begun (pdfkit writes the finished page out at once). */
function newPage(p: Pass): void {
  footer(p);
  p.doc.addPage();
  p.page++;
}

/** A table, its header repeated on every page; yields at each new page, so the pages drawn so far can be written out. */
function* drawTable(p: Pass, columns: readonly Column[], rawRows: Iterable<readonly string[]>): Generator<void> {
  const doc = p.doc;
  const left = PAGE.margin;
  const width = doc.page.width - 2 * PAGE.margin;
  const widths = columnWidths(doc, columns, width);
  const bottom = (): number => doc.page.height - PAGE.margin - 14;
  const options = (i: number): PDFKit.Mixins.TextOptions => ({ width: widths[i]! - 2 * PAGE.pad, lineBreak: columns[i]!.fit === undefined });
  const heightOf = (cells: readonly string[], bold: boolean): number => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(PAGE.font);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', options(i)))) + 2 * PAGE.pad;
  };
  /** Draws a row; true when it began a new page. */
  const drawRow = (cells: readonly string[], bold: boolean, shade: boolean): boolean => {
    const h = p.draw ? p.heights[p.row++]! : heightOf(cells, bold);
    if (!p.draw) p.heights.push(h);
    let paged = false;
    if (doc.y + h > bottom()) {
      newPage(p);
      paged = true;
      if (!bold) drawRow(columns.map((c) => c.title), true, true);
    }
    const y = doc.y;
    if (p.draw) {
      if (shade) doc.save().rect(left, y, width, h).fill(bold ? '#dde3ea' : '#f4f6f8').restore();
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(PAGE.font).fillColor('#111');
      let x = left;
      cells.forEach((c, i) => {
        doc.text(c, x + PAGE.pad, y + PAGE.pad, options(i));
        x += widths[i]!;
      });
      doc.save().moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(0.3).strokeColor('#c8cdd3').stroke().restore();
    }
    doc.x = left;
    doc.y = y + h;
    return paged;
  };
  drawRow(columns.map((c) => c.title), true, true);
  let i = 0;
  for (const r of rawRows) {
    if (drawRow(r.map(glueStamps), false, i++ % 2 === 1)) yield;
  }
}

function heading(p: Pass, text: string, onNewPage = false): void {
  const doc = p.doc;
  if (onNewPage || doc.y > doc.page.height - 140) newPage(p);
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(13).fillColor('#111').text(text, PAGE.margin, doc.y).moveDown(0.3);
}

function paragraph(doc: PDFKit.PDFDocument, text: string): void {
  doc.font('Helvetica').fontSize(8.5).fillColor('#111').text(pdfText(text, 4000), PAGE.margin, doc.y, { width: doc.page.width - 2 * PAGE.margin }).moveDown(0.4);
}

/** Label and value in two columns: the labels as wide as the widest, the values beside them. */
function facts(doc: PDFKit.PDFDocument, list: ReadonlyArray<readonly [string, string]>): void {
  doc.font('Helvetica-Bold').fontSize(9);
  const labelWidth = Math.ceil(Math.max(...list.map(([k]) => doc.widthOfString(k))) * SUBSTITUTE_SPARE) + 10;
  const valueWidth = doc.page.width - 2 * PAGE.margin - labelWidth;
  for (const [k, v] of list) {
    const y = doc.y;
    doc.font('Helvetica').fontSize(9);
    const h = doc.heightOfString(pdfText(v, 800), { width: valueWidth });
    doc.font('Helvetica-Bold').fillColor('#111').text(k, PAGE.margin, y, { width: labelWidth, lineBreak: false });
    doc.font('Helvetica').text(pdfText(v, 800), PAGE.margin + labelWidth, y, { width: valueWidth });
    doc.y = y + h + 1.5;
  }
  doc.x = PAGE.margin;
}

const POPULATION = [
  { title: 'Device', weight: 9 },
  { title: 'Account', weight: 9 },
  { title: 'Known from', fit: 'pulled, removed' },
  { title: 'Privilege', weight: 8 },
  { title: 'Roster', weight: 9, min: `expires ${STAMP_SAMPLE}` },
  { title: 'Owner', weight: 7 },
  { title: 'Approval', weight: 7 },
  { title: 'Created', weight: 13, min: STAMP_SAMPLE },
  { title: 'Seen', fit: `login ${STAMP_SAMPLE}` },
  { title: 'Removed, taken away', weight: 9, min: `removed ${STAMP_SAMPLE}` },
  { title: 'Findings', weight: 10, min: '99 open, worst critical' },
] as const satisfies readonly Column[];

type PopulationColumn = (typeof POPULATION)[number]['title'];

/**
 * Where the population table shows each fact of the CSV: a line in a cell (`show` words it, after
 * the value is made safe; an empty result is no line), or where else the PDF's reader finds it. A
 * Record over every title: a fact added to the CSV does not compile until it has a place here.
 */
type Place = { column: PopulationColumn; show?: (text: string) => string } | { elsewhere: string };

const PLACES: Readonly<Record<PopulationTitle, Place>> = {
  device: { column: 'Device' },
  'in inventory': { column: 'Device', show: (v) => (v === 'no' ? 'not in inventory' : '') },
  account: { column: 'Account' },
  source: { column: 'Known from' },
  state: { column: 'Known from', show: (v) => (v === 'present' ? '' : v) },
  privilege: { column: 'Privilege' },
  superuser: { column: 'Privilege', show: (v) => (v === 'yes' ? '(superuser)' : '') },
  'roster match': { column: 'Roster' },
  allowed: { column: 'Roster', show: (v) => `allows ${v}` },
  expires: { column: 'Roster', show: (v) => `expires ${v}` },
  'roster entry': { column: 'Roster', show: (v) => `entry ${v}` },
  type: { column: 'Owner' },
  owner: { column: 'Owner' },
  department: { column: 'Owner' },
  'approval reference': { column: 'Approval' },
  approver: { column: 'Approval', show: (v) => `approved by ${v}` },
  'created at': { column: 'Created' },
  'created by': { column: 'Created', show: (v) => `by ${v}` },
  'created from': { column: 'Created', show: (v) => `from ${v}` },
  path: { column: 'Created', show: (v) => `via ${v}` },
  attribution: { column: 'Created' },
  'first seen': { column: 'Seen', show: (v) => `first ${v}` },
  'last seen': { column: 'Seen', show: (v) => `last ${v}` },
  'last login': { column: 'Seen', show: (v) => `login ${v}` },
  'days inactive': { column: 'Seen', show: (v) => `${v} days inactive` },
  'removed at': { column: 'Removed, taken away', show: (v) => `removed ${v}` },
  'removed by': { column: 'Removed, taken away', show: (v) => `by ${v}` },
  'privilege taken away': { column: 'Removed, taken away', show: (v) => `taken away: ${v}` },
  'taken away at': { column: 'Removed, taken away', show: (v) => `at ${v}` },
  'taken away by': { column: 'Removed, taken away', show: (v) => `by ${v}` },
  'open findings': { column: 'Findings', show: (v) => (v === '0' ? '' : `${v} open`) },
  'worst severity': { column: 'Findings', show: (v) => `worst ${v}` },
  findings: { column: 'Findings' },
  decisions: { elsewhere: 'the Exceptions table, beside each finding, and the Decisions in the period' },
  records: { elsewhere: 'the evidence pack, by id: records.csv and records.jsonl' },
  snapshots: { elsewhere: 'the evidence pack, by id: the diffs/ folder' },
};

/** One population row as the table's cells: each fact a line in its column, made safe, empty facts left out. */
export function populationCells(r: PopulationRow): string[] {
  const lines = new Map<PopulationColumn, string[]>(POPULATION.map((c) => [c.title, []]));
  for (const fact of POPULATION_FACTS) {
    const place = PLACES[fact.title];
    if ('elsewhere' in place) continue;
    const value = factValue(fact, r, stamp);
    // No login seen is said, not left out: "0 days inactive" alone read as a login that day.
    if (fact.title === 'last login' && r.lastLogin === null && r.state !== 'missing') {
      lines.get(place.column)!.push('no login seen');
      continue;
    }
    if (value === null || value === undefined || value === '') continue;
    const safe = pdfText(value, 200);
    const line = place.show ? place.show(safe) : safe;
    if (line !== '') lines.get(place.column)!.push(line);
  }
  return POPULATION.map((c) => lines.get(c.title)!.join('\n'));
}

/** The facts of accounts.csv the population table leaves to another part of the pack, and where. */
const ELSEWHERE = Object.entries(PLACES).flatMap(([title, p]) => ('elsewhere' in p ? [`${title} (in ${p.elsewhere})`] : []));

const EXCEPTIONS: Column[] = [
  { title: '#', fit: '0000000' },
  { title: 'Severity', fit: 'critical' },
  { title: 'Status', fit: 'acknowledged' },
  { title: 'Kind', fit: 'expired-authorisation' },
  { title: 'Device', weight: 8 },
  { title: 'Account', weight: 7 },
  { title: 'Finding', weight: 30 },
  { title: 'Decision', weight: 20 },
];

const DECISIONS: Column[] = [
  { title: 'Decided', fit: STAMP_SAMPLE },
  { title: '#', fit: '0000000' },
  { title: 'Device', weight: 8 },
  { title: 'Account', weight: 7 },
  { title: 'Reviewer', weight: 6 },
  // How the decision came: web/api (authenticated) or cli (self-asserted), with the user, token or OS user.
  { title: 'Path', weight: 10 },
  { title: 'Decision', fit: 'acknowledged' },
  { title: 'Until', fit: STAMP_SAMPLE },
  { title: 'Ticket', weight: 6 },
  { title: 'Reason', weight: 22 },
];

const METHOD = [
  `Population: every column of accounts.csv is a line in one of the table's cells, but ${ELSEWHERE.join('; ')}. One row per device and account that existed at any time in the period. An account is known from a pulled configuration (aaawatch reads the local accounts of every device it pulls over SSH), from syslog account records alone (a useradd on a host nobody pulls, a username command on a device whose pull is not configured or failing), or from the roster alone (a must-exist account a pulled device lacks). "Removed" means a pull or a record showed it gone within the period; "taken away" names the latest privilege, role or right a record showed taken from an account that stays, within the period, when and by whom (the account holds what remains).`,
  'Roster match is judged as of the end of the period: authorised (an entry covers this account on this device at its privilege), privilege above roster, expired, not yet valid, not on roster, missing. Privilege is the one scale of each platform (0-15, roles ranked by the vendor\'s built-in roles); superuser means full administration (privilege 15, UID 0, a superuser role or group).',
  'Created at/by/from/path come from the record that explains the account\'s appearance between two pulls (its actor, source address, the session that gives the address, and the path: CLI, TACACS+, REST, NETCONF, GUI, OS tools, cloud API), or for an account known from syslog alone, the record that created it. An account that appeared with no record explaining it is an unlogged-change finding.',
  'Severity: critical is full administrative rights granted by someone not on the roster\'s authorised administrators, outside a change window, or with no record of who granted them; high, medium, low and info as each finding kind explains in its summary. Decisions are the reviewers\' own, with reason, date, acceptance end and ticket; accepted findings reopen when the acceptance ends. Each decision names its path: web (a signed-in session, the reviewer authenticated), api (a bearer token, named with its user), cli (typed on the appliance: the reviewer is claimed, not authenticated, and the OS user who ran the command is named), or unknown for a decision recorded before paths were.',
  'Records are hash-chained in the store: each carries the SHA-256 of the one before over its fields and raw message; the chain head at generation is given above. The evidence pack holds every record cited here with its sender address, transport, receive time and chain position, the configuration diffs, the decision log, the roster files, and VERIFY.txt with the commands that check the pack without aaawatch.',
];

/**
 * The PDF, written out a page at a time: every row of the population, every exception and every
 * decision (an auditor signs this document off; a table cut at 2,000 rows with "see accounts.csv"
 * was an incomplete population in it). The pages are laid out twice, once to count them (the
 * footer's "of m") and once to draw them; pdfkit writes each page out when the next begins, and
 * each is handed on before the next is drawn, so the PDF is never held whole. 50,000 accounts and
 * 100,000 exception lines: BENCHMARKS.md, bench:web.
 */
export async function* pdfChunks(d: ExportDocument): AsyncGenerator<Buffer> {
  // Loaded when a PDF is written: pdfkit and its fonts and codecs were a quarter of every command's
  // start, though few commands write a PDF.
  const { default: PDFDocument } = await import('pdfkit');
  const h = d.header;
  const make = (draw: boolean): PDFKit.PDFDocument =>
    new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: PAGE.margin,
      // The counting pass draws no cell: nothing worth compressing.
      compress: draw,
      info: { Title: h.title, Author: `aaawatch ${h.version}`, Subject: `${h.period.from} – ${h.period.to}`, CreationDate: new Date(h.generatedAt) },
    });
  const footerText = `${pdfText(h.title)} · ${h.period.from} – ${h.period.to} · generated ${h.generatedAt}`;
  const counting: Pass = { doc: make(false), draw: false, page: 1, total: 0, footer: footerText, heights: [], row: 0 };
  for (const _ of layout(counting, d)) while (counting.doc.read() !== null);
  counting.doc.end();
  while (counting.doc.read() !== null);
  const pass: Pass = { doc: make(true), draw: true, page: 1, total: counting.page, footer: footerText, heights: counting.heights, row: 0 };
  const out = function* (): Generator<Buffer> {
    for (let c: Buffer | null; (c = pass.doc.read() as Buffer | null) !== null; ) yield c;
  };
  for (const _ of layout(pass, d)) yield* out();
  footer(pass);
  pass.doc.end();
  yield* out();
}

/** The whole PDF in memory: for a view's export; the evidence pack and a download take pdfChunks. */
export async function reviewPdf(d: ExportDocument): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of pdfChunks(d)) parts.push(c);
  return Buffer.concat(parts);
}

/** The document's sections; yields at each new page of a table. */
function* layout(p: Pass, d: ExportDocument): Generator<void> {
  const doc = p.doc;
  const h = d.header;
  const s = d.summary;
  const words = (r: Record<string, number>): string => Object.entries(r).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';

  doc.font('Helvetica-Bold').fontSize(16).text(pdfText(h.title));
  doc.moveDown(0.4);
  heading(p, 'Summary');
  facts(doc, [
    ['Scope', h.scope],
    ['Period', `${h.period.from} to ${h.period.to} (all times in this report are UTC)`],
    ['Generated', `${h.generatedAt} by ${h.generatedBy} on ${h.appliance}, aaawatch ${h.version}`],
    ['Accounts', `${s.accounts} (${words(s.byState)}; known from ${words(s.bySource)}); ${s.superuser} with full administration; ${s.revoked} with a privilege taken away in the period`],
    ['Against the roster', words(s.byRoster)],
    ['Exceptions', `${s.exceptions} accounts not authorised or with findings not resolved`],
    ['Findings not resolved', `${s.unresolved} (${words(s.findingsBySeverity)})`],
    ['Decisions in the period', String(s.decisions)],
    ['Record chain', chainWords(h.chain)],
    ['Stored', storedWords(h)],
  ]);

  heading(p, `Population (${d.rows.length} accounts)`);
  yield* drawTable(p, POPULATION, map(d.rows, populationCells));

  const exceptions = d.rows.filter(isException);
  const lineCount = exceptions.reduce((a, r) => a + Math.max(1, r.findings.length), 0);
  heading(p, `Exceptions (${exceptions.length} accounts, ${lineCount} lines)`, true);
  yield* drawTable(p, EXCEPTIONS, exceptionLines(exceptions));

  heading(p, `Decisions in the period (${d.decisions.length})`, true);
  yield* drawTable(
    p,
    DECISIONS,
    map(d.decisions, (x) => [stamp(x.at), String(x.findingId), x.device, x.account, x.by, x.path.text, x.to, stamp(x.until), typed(x.ticket) ?? '', typed(x.reason) ?? ''].map((c) => pdfText(c, 600))),
  );

  heading(p, 'Method', true);
  for (const m of METHOD) paragraph(doc, m);
  heading(p, 'Sources');
  yield* drawTable(p, [{ title: 'Source', weight: 12 }, { title: 'What was read', weight: 70 }, { title: 'Rows', fit: '00000000' }], h.sources.map((x) => [pdfText(x.name), pdfText(x.query), String(x.rows)]));
  if (h.roster.length) {
    heading(p, 'Roster files');
    // A digit is as wide as Helvetica's widest hex digit ('f' is half that): a hash never wraps.
    yield* drawTable(p, [{ title: 'File', weight: 30 }, { title: 'Bytes', fit: '000000000' }, { title: 'SHA-256', fit: '0'.repeat(64) }], h.roster.map((f) => [pdfText(f.path), String(f.bytes), f.sha256]));
  }
}

function* map<T, U>(items: Iterable<T>, f: (t: T) => U): Generator<U> {
  for (const t of items) yield f(t);
}

/** The exceptions table's lines: one a finding, or one for an account with none that is not authorised. */
function* exceptionLines(exceptions: readonly PopulationRow[]): Generator<string[]> {
  for (const r of exceptions) {
    const lines = r.findings.length
      ? r.findings.map((f) => [String(f.id), f.severity, f.status, f.kind, r.device, r.account, f.summary, decisionWords(f.decision)])
      : [['', '', '', r.rosterMatch, r.device, r.account, `${r.account} (${r.privilege}) on ${r.device}: ${r.rosterMatch}`, '']];
    for (const l of lines) yield l.map((c) => pdfText(c, 600));
  }
}

function decisionWords(d: ExportDocument['findings'][number]['decision']): Shown | string {
  if (!d) return 'no decision yet';
  return Shown.joined([
    `${d.to} by ${d.by} (${d.path.text}) ${stamp(d.at)}${d.until !== null ? ` until ${stamp(d.until)}` : ''}`,
    ...(d.ticket ? [' [', Shown.typed(d.ticket), ']'] : []),
    ...(d.reason ? [': ', Shown.typed(d.reason)] : []),
  ]);
}
