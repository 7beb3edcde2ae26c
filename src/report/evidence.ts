// The evidence pack: one zip holding the reconciliation CSV, JSON and PDF, a manifest listing each
// file's size and SHA-256 with the header block, and an Ed25519 signature over the manifest's
// exact bytes. `verifyEvidence` checks a pack: the signature against a trusted public key, every
// hash and size, and that the archive holds nothing the manifest does not list.

import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { ExportDocument, ExportHeader } from './document.js';
import { reconciliationCsv, reconciliationJson, safeJson } from './formats.js';
import { reconciliationPdf } from './pdf.js';
import { keyFingerprint, type SigningKey } from './signing.js';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PACK_FORMAT = 'aaawatch-evidence-pack/1';

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof PACK_FORMAT;
  header: ExportHeader;
  signature: { algorithm: 'Ed25519'; file: typeof SIGNATURE; publicKeySha256: string };
  files: ManifestFile[];
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function buildManifest(header: ExportHeader, files: ReadonlyArray<{ name: string; data: Uint8Array }>, fingerprint: string): Manifest {
  return {
    format: PACK_FORMAT,
    header,
    signature: { algorithm: 'Ed25519', file: SIGNATURE, publicKeySha256: fingerprint },
    files: files.map((f) => ({ name: f.name, bytes: f.data.byteLength, sha256: sha256Hex(f.data) })),
  };
}

/** The three exports of one document, by file name. */
export async function exportFiles(doc: ExportDocument): Promise<Array<{ name: string; data: Uint8Array }>> {
  return [
    { name: 'reconciliation.csv', data: Buffer.from(reconciliationCsv(doc), 'utf8') },
    { name: 'reconciliation.json', data: Buffer.from(reconciliationJson(doc), 'utf8') },
    { name: 'report.pdf', data: await reconciliationPdf(doc) },
  ];
}

export async function evidencePack(doc: ExportDocument, key: SigningKey): Promise<Uint8Array> {
  const files = await exportFiles(doc);
  const manifest = Buffer.from(safeJson(buildManifest(doc.header, files, key.fingerprint)) + '\n', 'utf8');
  const signature = Buffer.from(sign(null, manifest, key.privateKey).toString('base64') + '\n', 'utf8');
  // Every entry dated with the generation time, so the archive says when it was made, not when it was copied.
  const mtime = new Date(doc.header.generatedAt);
  const entries: Zippable = {};
  for (const f of files) entries[f.name] = [f.data, { mtime }];
  entries[MANIFEST] = [manifest, { mtime }];
  entries[SIGNATURE] = [signature, { mtime }];
  return zipSync(entries, { level: 6 });
}

export interface VerifyResult {
  ok: boolean;
  problems: string[];
  /** What was checked, for the report: file name, size, hash, verdict. */
  files: Array<ManifestFile & { ok: boolean }>;
  header?: ExportHeader;
  publicKeySha256: string;
}

/** Check a pack against `publicKey` (the appliance's, obtained apart from the pack). */
export function verifyEvidence(archive: Uint8Array, publicKey: KeyObject): VerifyResult {
  const fingerprint = keyFingerprint(publicKey);
  const problems: string[] = [];
  const names: string[] = [];
  let contents: Record<string, Uint8Array>;
  try {
    // The filter sees every entry of the central directory, duplicates included (unzip keeps only one of them).
    contents = unzipSync(archive, { filter: (f) => (names.push(f.name), true) });
  } catch (err) {
    return { ok: false, problems: [`not a readable zip archive: ${err instanceof Error ? err.message : String(err)}`], files: [], publicKeySha256: fingerprint };
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) problems.push(`the archive holds ${JSON.stringify(n)} more than once`);
    seen.add(n);
  }
  const manifestBytes = contents[MANIFEST];
  const signatureBytes = contents[SIGNATURE];
  if (!manifestBytes) problems.push(`no ${MANIFEST} in the archive`);
  if (!signatureBytes) problems.push(`no ${SIGNATURE} in the archive`);
  if (!manifestBytes || !signatureBytes) return { ok: false, problems, files: [], publicKeySha256: fingerprint };
  const signature = Buffer.from(Buffer.from(signatureBytes).toString('utf8').trim(), 'base64');
  if (!verify(null, manifestBytes, publicKey, signature)) {
    problems.push('the signature over manifest.json does not verify with this public key (the manifest was changed, or another key signed it)');
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as Manifest;
  } catch {
    return { ok: false, problems: [...problems, 'manifest.json is not JSON'], files: [], publicKeySha256: fingerprint };
  }
  if (manifest.format !== PACK_FORMAT) problems.push(`unknown pack format ${JSON.stringify(manifest.format)}`);
  if (manifest.signature?.publicKeySha256 !== fingerprint) {
    problems.push(`the manifest names signing key ${String(manifest.signature?.publicKeySha256)}, not ${fingerprint}`);
  }
  const listed = Array.isArray(manifest.files) ? manifest.files : [];
  const files = listed.map((f) => {
    const data = contents[f.name];
    let ok = true;
    if (!data) {
      problems.push(`${f.name} is listed in the manifest but missing from the archive`);
      ok = false;
    } else if (data.byteLength !== f.bytes || sha256Hex(data) !== f.sha256) {
      problems.push(`${f.name} does not match its SHA-256 in the manifest (it was changed)`);
      ok = false;
    }
    return { name: f.name, bytes: f.bytes, sha256: f.sha256, ok };
  });
  const allowed = new Set([MANIFEST, SIGNATURE, ...listed.map((f) => f.name)]);
  for (const n of seen) if (!allowed.has(n)) problems.push(`${JSON.stringify(n)} is in the archive but not in the manifest`);
  return { ok: problems.length === 0, problems, files, header: manifest.header, publicKeySha256: fingerprint };
}
