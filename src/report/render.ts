// One export of a document, by its file name: what the web downloads and `aaawatch report` write.

import type { Db } from '../store/db.js';
import type { ExportDocument } from './document.js';
import { writeEvidencePack, type PackSink } from './evidence.js';
import { accountsCsv, decisionsCsv, findingsCsv, reportJson } from './formats.js';
import { pdfChunks } from './pdf.js';
import type { SigningKey } from './signing.js';

export const EXPORT_NAMES = ['accounts.csv', 'findings.csv', 'decisions.csv', 'report.json', 'report.pdf', 'evidence.zip'] as const;
export type ExportName = (typeof EXPORT_NAMES)[number];

export function isExportName(v: string): v is ExportName {
  return (EXPORT_NAMES as readonly string[]).includes(v);
}

export const EXPORT_TYPES: Readonly<Record<ExportName, string>> = {
  'accounts.csv': 'text/csv; charset=utf-8; header=present',
  'findings.csv': 'text/csv; charset=utf-8; header=present',
  'decisions.csv': 'text/csv; charset=utf-8; header=present',
  'report.json': 'application/json; charset=utf-8',
  'report.pdf': 'application/pdf',
  'evidence.zip': 'application/zip',
};

/**
 * Write one export to `sink`. `key` is asked for only by the evidence pack, so other exports never
 * make a signing key; only the pack reads the store again (the records and diffs it carries).
 * `archive`: the file name the pack is delivered under, which its VERIFY.txt commands name.
 */
export async function writeExport(name: ExportName, db: Db, doc: ExportDocument, key: () => SigningKey, sink: PackSink, archive?: string): Promise<void> {
  switch (name) {
    case 'accounts.csv':
      return sink(Buffer.from(accountsCsv(doc), 'utf8'));
    case 'findings.csv':
      return sink(Buffer.from(findingsCsv(doc), 'utf8'));
    case 'decisions.csv':
      return sink(Buffer.from(decisionsCsv(doc), 'utf8'));
    case 'report.json':
      return sink(Buffer.from(reportJson(doc), 'utf8'));
    case 'report.pdf':
      for await (const c of pdfChunks(doc)) await sink(c);
      return;
    case 'evidence.zip':
      return writeEvidencePack(db, doc, key(), sink, { archive });
  }
}
