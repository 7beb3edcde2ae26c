// One export of a document, by its file name: what the web downloads and `aaawatch report` write.

import type { ExportDocument } from './document.js';
import { evidencePack } from './evidence.js';
import { reconciliationCsv, reconciliationJson } from './formats.js';
import { reconciliationPdf } from './pdf.js';
import type { SigningKey } from './signing.js';

export const EXPORT_NAMES = ['reconciliation.csv', 'reconciliation.json', 'report.pdf', 'evidence.zip'] as const;
export type ExportName = (typeof EXPORT_NAMES)[number];

export function isExportName(v: string): v is ExportName {
  return (EXPORT_NAMES as readonly string[]).includes(v);
}

/** `key` is asked for only by the evidence pack, so other exports never make a signing key. */
export async function renderExport(name: ExportName, doc: ExportDocument, key: () => SigningKey): Promise<Uint8Array> {
  switch (name) {
    case 'reconciliation.csv':
      return Buffer.from(reconciliationCsv(doc), 'utf8');
    case 'reconciliation.json':
      return Buffer.from(reconciliationJson(doc), 'utf8');
    case 'report.pdf':
      return reconciliationPdf(doc);
    case 'evidence.zip':
      return evidencePack(doc, key());
  }
}
