// The evidence pack: one zip an auditor can check without aaawatch. It holds the review (accounts,
// findings and decisions as CSV, all of it as JSON, the PDF), every record the rows and findings
// cite (with sender address, transport, receive time and chain position), the configuration diffs
// they cite, the web activity log of the period (with each entry's body as hashed), the roster files as read, each
// record chain's head at generation (chain-heads.txt), the public key, and VERIFY.txt with the `openssl`, `sha256sum`
// and `awk` commands that check it: the signature, every file, every cited record's hash, and its links and head. SHA256SUMS lists every
// file (manifest.json included) and is signed with the appliance's Ed25519 key (SHA256SUMS.sig, the
// raw 64-byte signature `openssl pkeyutl -verify -rawin` reads).
//
// The archive is written as it is made (fflate's streaming Zip): a pack citing hundreds of
// thousands of records never sits whole in memory. `verifyEvidence` checks a pack: the signature
// against a trusted public key, every hash and size, and that the archive holds nothing unlisted.

import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { constants, deflateRawSync } from 'node:zlib';
import { unzipSync, Zip, ZipPassThrough } from 'fflate';
import { firstSnapshotDiff, snapshotDiff } from '../pull/diff.js';
import { chainBody, type ChainedFields } from '../store/chain.js';
import type { Db } from '../store/db.js';
import { getSnapshot } from '../store/pull.js';
import { csvChunks, DECISION_COLUMNS, FINDING_COLUMNS, ACCOUNT_COLUMNS, inertJson, reportJsonChunks, safeJson } from './formats.js';
import { chainWords, iso, type ExportDocument, type ExportHeader, type ExportSummary } from './document.js';
import { sha256Hex } from './hash.js';
import { pdfChunks } from './pdf.js';
import { keyFingerprint, type SigningKey } from './signing.js';
import { printable } from '../reconcile/text.js';
import { activityBody } from '../web/store.js';
import { activityDisclosed, WITHHELD } from './activity-scope.js';
import type { CsvValue } from './csv.js';
import { Shown, shownDetail } from './text.js';

export { sha256Hex } from './hash.js';

export const MANIFEST = 'manifest.json';
export const SUMS = 'SHA256SUMS';
export const SUMS_SIGNATURE = 'SHA256SUMS.sig';
export const PACK_FORMAT = 'aaawatch-evidence-pack/2';
/** Packs made before SHA256SUMS: manifest.json signed, the signature base64 in manifest.sig. */
const V1 = { format: 'aaawatch-evidence-pack/1', signature: 'manifest.sig' } as const;

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof PACK_FORMAT;
  header: ExportHeader;
  summary: ExportSummary;
  signature: { algorithm: 'Ed25519'; file: typeof SUMS_SIGNATURE; signs: typeof SUMS; publicKeySha256: string };
  files: ManifestFile[];
}

/** Where the archive's bytes go (an HTTP response, a file); awaited, so a slow reader holds the writer back. */
export type PackSink = (chunk: Uint8Array) => void | Promise<void>;

type Chunks = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

const FLUSH_BYTES = 256 * 1024;

/**
 * An entry deflated by Node's zlib (native: several times the speed of fflate's JavaScript
 * deflate, which a pack of a million records spends most of its time in), the way fflate documents
 * bringing one's own compressor. Each chunk is its own raw deflate run ended with a sync flush, and
 * the last with a final block: concatenated, they are one valid deflate stream (as pigz writes them).
 */
class NativeDeflate extends ZipPassThrough {
  constructor(name: string) {
    super(name);
    this.compression = 8;
  }

  protected override process(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
    this.ondata(null, deflateRawSync(chunk, { level: 6, finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH }), final);
  }
}

/** Writes files into a streaming zip, hashing each as it goes. */
class PackWriter {
  private out: Uint8Array[] = [];
  private failure: Error | undefined;
  private readonly zip = new Zip((err, data) => {
    if (err) this.failure = err;
    else this.out.push(data);
  });
  readonly files: ManifestFile[] = [];

  constructor(
    private readonly sink: PackSink,
    private readonly mtime: Date,
  ) {}

  async add(name: string, chunks: Chunks): Promise<ManifestFile> {
    const entry = new NativeDeflate(name);
    entry.mtime = this.mtime;
    this.zip.add(entry);
    const hash = createHash('sha256');
    let bytes = 0;
    let pending: Buffer[] = [];
    let size = 0;
    for await (const c of chunks) {
      const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
      hash.update(b);
      bytes += b.byteLength;
      pending.push(b);
      size += b.byteLength;
      if (size >= FLUSH_BYTES) {
        entry.push(Buffer.concat(pending));
        pending = [];
        size = 0;
        await this.drain();
      }
    }
    entry.push(Buffer.concat(pending), true);
    await this.drain();
    const file = { name, bytes, sha256: hash.digest('hex') };
    this.files.push(file);
    return file;
  }

  async end(): Promise<void> {
    this.zip.end();
    await this.drain();
  }

  private async drain(): Promise<void> {
    if (this.failure) throw this.failure;
    const out = this.out;
    this.out = [];
    for (const c of out) await this.sink(c);
  }
}

/** A file name made of letters, digits, dot, dash and underscore only (SHA256SUMS and every unzip read it plainly). */
function plainName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
}

// --- Records -------------------------------------------------------------------------------------

interface RecordRow extends ChainedFields {
  id: number;
  /** The collector whose chain holds the record, and its position there. */
  collector: string;
  seq: number;
  received_at: number;
  transport: string;
  source: string | null;
  time_text: string | null;
  prev_hash: Buffer;
  hash: Buffer;
  /** The frame's exact bytes, kept when it was not UTF-8 (`raw` is then their escaped form: src/store/raw-bytes.ts). */
  raw_bytes: Buffer | null;
}

/**
 * A PostgreSQL review's copy (pg-review.ts) holds each copied record's collector and its position in
 * that collector's chain here: there a record's id is one sequence over every collector, and only
 * (collector, seq) says which chain a record is in and where.
 */
export const RECORD_CHAIN_DDL = 'CREATE TABLE record_chain (id INTEGER PRIMARY KEY, collector TEXT NOT NULL, seq INTEGER NOT NULL)';

/**
 * The cited records, in id order, a batch at a time, each with its collector and chain position:
 * from record_chain on a PostgreSQL copy; on SQLite the one collector's (`collector`) and the id.
 */
function* citedRecords(db: Db, ids: readonly number[], collector: string): Generator<RecordRow> {
  const copied = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'record_chain'").get() !== undefined;
  const select = db.prepare(
    `SELECT e.id, ${copied ? 'c.collector, c.seq' : '? AS collector, e.id AS seq'}, e.kind, e.action, e.time, e.device, e.platform, e.actor, e.actor_address, e.target, e.privilege, e.role, e.grp, e.path,
            e.technique, e.command, e.session, e.container, e.raw, e.received_at, e.transport, e.source, e.time_text, e.prev_hash, e.hash, e.raw_bytes
       FROM json_each(?) j JOIN events e ON e.id = j.value ${copied ? 'JOIN record_chain c ON c.id = e.id' : ''} ORDER BY e.id`,
  );
  const args = (batch: string): unknown[] => (copied ? [batch] : [collector, batch]);
  for (let i = 0; i < ids.length; i += 1000) yield* select.iterate(...args(JSON.stringify(ids.slice(i, i + 1000)))) as IterableIterator<RecordRow>;
}

const RECORD_COLUMNS: ReadonlyArray<readonly [string, (r: RecordRow) => string | number | null]> = [
  ['id', (r) => r.id],
  ['collector', (r) => r.collector],
  ['chain position (in its collector\'s chain)', (r) => r.seq],
  ['time', (r) => iso(r.time)],
  ['device stamp', (r) => r.time_text],
  ['received at', (r) => new Date(r.received_at).toISOString()],
  ['transport', (r) => r.transport],
  ['sender address', (r) => r.source],
  ['device', (r) => r.device],
  ['platform', (r) => r.platform],
  ['kind', (r) => r.kind],
  ['action', (r) => r.action],
  ['actor', (r) => r.actor],
  ['actor address', (r) => r.actor_address],
  ['account', (r) => r.target],
  ['privilege / role / group', (r) => r.privilege ?? r.role ?? r.grp],
  ['path', (r) => r.path],
  ['command', (r) => r.command],
  ['raw message', (r) => r.raw],
  // A frame that was not UTF-8: `raw message` shows it escaped (each such byte, and every backslash, as \xNN);
  // these are the bytes as received (secrets redacted as stored), which a literal `\xE9` in a UTF-8 line never has.
  ['raw bytes (base64; a message not UTF-8)', (r) => (r.raw_bytes ? Buffer.from(r.raw_bytes).toString('base64') : null)],
  ['previous hash', (r) => r.prev_hash.toString('hex')],
  ['hash', (r) => r.hash.toString('hex')],
];

/**
 * A record's JSON line. A body holding text that reads as a secret (a form learnt after the record
 * was stored) is given redacted, as everything in the pack is: its hash then cannot be recomputed
 * from it, which the line says (`"redacted": true`) rather than leaving the auditor a failed check;
 * such a record is never VERIFY.txt's example, whose command shows its body. Told from the line
 * safeJson wrote (the body's own text is in it or not), not by running the gate over the body a
 * second time: ~10 µs a record, a pack of a million records.
 */
function chainedLine(entry: { body: string } & Record<string, unknown>): { line: string; redacted: boolean } {
  const line = safeJson(entry, 0);
  if (line.includes(`"body":${inertJson(entry.body, 0)}`)) return { line: line + '\n', redacted: false };
  return { line: safeJson({ ...entry, redacted: true }, 0) + '\n', redacted: true };
}

/** One JSON line per record: the chain body exactly as hashed, so `hash = SHA-256(previous hash ‖ body)` can be checked. */
function recordJson(r: RecordRow): { line: string; redacted: boolean } {
  return chainedLine({
    // collector, seq, previousHash and hash before the body: VERIFY.txt's link check reads them as awk fields.
    id: r.id, collector: r.collector, seq: r.seq, previousHash: r.prev_hash.toString('hex'), hash: r.hash.toString('hex'), body: chainBody(r),
    receivedAt: new Date(r.received_at).toISOString(), transport: r.transport, sender: r.source, deviceStamp: r.time_text,
    ...(r.raw_bytes ? { rawBytes: Buffer.from(r.raw_bytes).toString('base64') } : {}),
  });
}

/**
 * chain-heads.txt: each chain's head at generation, as the header has it (every collector's on
 * PostgreSQL; on SQLite the one collector's, its head's position its id), a line each: position,
 * hash, collector (written as records.jsonl writes it, which VERIFY.txt's link check matches).
 */
function headLines(chain: ExportHeader['chain'], collector: string): string {
  const heads = chain.collectors ?? (chain.head !== null && chain.lastId !== null ? [{ collector, records: chain.lastId, head: chain.head }] : []);
  return heads.map((h) => `${h.records} ${h.head} ${inertJson(h.collector, 0).slice(1, -1)}\n`).join('');
}

// --- Diffs, activity -----------------------------------------------------------------------------

/** Snapshot pairs the rows and findings cite: each cited snapshot against the one before it on its device. */
/**
 * The snapshots the rows and findings cite, each with the one before it on its device (undefined
 * for a device's first: the pack then holds its whole configuration, as lines added to nothing, so
 * an account first seen there has its evidence too).
 */
function citedSnapshots(db: Db, doc: ExportDocument, limit: number): Array<{ from: number | undefined; to: number }> {
  const cited = new Set<number>();
  for (const r of doc.rows) for (const s of r.snapshots) cited.add(s);
  for (const f of doc.findings) for (const s of f.snapshots) cited.add(s);
  const before = db.prepare('SELECT id FROM snapshots WHERE device = (SELECT device FROM snapshots WHERE id = ?) AND id < ? ORDER BY id DESC LIMIT 1');
  return [...cited]
    .sort((a, b) => a - b)
    .slice(0, limit)
    .map((to) => ({ from: (before.get(to, to) as { id: number } | undefined)?.id, to }));
}

/** A cited snapshot's file in diffs/: the diff from the one before, or a first snapshot whole. */
function diffName(from: number | undefined, to: number): string {
  return from === undefined ? `diffs/snapshot-${to}.diff` : `diffs/snapshot-${from}-to-${to}.diff`;
}

function* diffText(db: Db, from: number | undefined, to: number): Generator<string> {
  const b = getSnapshot(db, to);
  if (!b) return;
  const a = from === undefined ? undefined : getSnapshot(db, from);
  if (!a) {
    yield `# device: ${JSON.stringify(b.device)}; snapshot ${b.id} (${iso(b.taken_at)}), the first of this device: its whole configuration; secrets redacted\n`;
    yield firstSnapshotDiff(b);
    return;
  }
  yield `# device: ${JSON.stringify(b.device)}; snapshot ${a.id} (${iso(a.taken_at)}) -> snapshot ${b.id} (${iso(b.taken_at)}); secrets redacted\n`;
  yield snapshotDiff(a, b);
}

interface ActivityRow {
  id: number;
  at: number;
  user: string;
  address: string | null;
  action: string;
  detail: string;
  prev_hash: Buffer | null;
  hash: Buffer | null;
}

/** An entry of the period; `whole` false for one a scoped pack gives as its hashes alone (activity-scope.ts). */
interface PackedActivity extends ActivityRow {
  whole: boolean;
}

/** The activity entries of the period, each said whole or withheld by the document's scope. */
function* activityRows(db: Db, doc: ExportDocument): Generator<PackedActivity> {
  const device = db.prepare('SELECT device FROM findings WHERE id = ?').pluck();
  const deviceOf = (id: number): string | undefined => device.get(id) as string | undefined;
  const rows = db.prepare('SELECT id, at, user, address, action, detail, prev_hash, hash FROM web_audit WHERE at >= ? AND at <= ? ORDER BY id').iterate(doc.from, doc.to) as IterableIterator<ActivityRow>;
  for (const r of rows) yield { ...r, whole: activityDisclosed(r.action, r.detail, doc.inScope, deviceOf) };
}

/**
 * An entry's body as the pack shows it: the detail's reason and ticket through reviewerText, every
 * other field through the gate (Shown.detail). An entry whose reviewer text was redacted when it was
 * stored shows its body as hashed ("password vaulted in CyberArk" is kept, not read as a value);
 * only one holding a secret still (stored before that, or a secret elsewhere) differs from it.
 */
function shownBody(r: ActivityRow): { body: string; redacted: boolean } {
  const stored = activityBody(r.at, r.user, r.address, r.action, r.detail);
  const gate = (t: string): string => Shown.joined([t]).text;
  const body = activityBody(r.at, gate(r.user), r.address === null ? null : gate(r.address), gate(r.action), shownDetail(r.detail).text);
  return body === stored ? { body: stored, redacted: false } : { body, redacted: true };
}

/**
 * One JSON line per activity entry: its body as hashed (activity.csv shows its time to the second
 * and its detail made visible, so no entry's hash could be checked from it), or, when that holds a
 * secret, as shown and marked `"redacted": true`; an entry withheld, its id and hashes alone, which
 * keep the chain checkable across it.
 */
function activityJson(r: PackedActivity): { line: string; body: string; redacted: boolean } {
  const hashes = { id: r.id, previousHash: r.prev_hash?.toString('hex') ?? null, hash: r.hash?.toString('hex') ?? null };
  if (!r.whole) return { line: safeJson({ ...hashes, withheld: WITHHELD }, 0) + '\n', body: '', redacted: false };
  const { body, redacted } = shownBody(r);
  // The body is already through its rules: inertJson, not safeJson, whose gate would read the reason as device text.
  return { line: inertJson({ ...hashes, body, ...(redacted ? { redacted: true } : {}) }, 0) + '\n', body, redacted };
}

const shown = (get: (r: PackedActivity) => CsvValue) => (r: PackedActivity): CsvValue => (r.whole ? get(r) : null);
const ACTIVITY_COLUMNS: ReadonlyArray<readonly [string, (r: PackedActivity) => CsvValue]> = [
  ['id', (r) => r.id],
  ['at', shown((r) => iso(r.at))],
  ['user', shown((r) => r.user)],
  ['address', shown((r) => r.address)],
  ['action', (r) => (r.whole ? r.action : `(withheld: ${WITHHELD})`)],
  ['detail', shown((r) => shownDetail(r.detail))],
  ['previous hash', (r) => r.prev_hash?.toString('hex') ?? null],
  ['hash', (r) => r.hash?.toString('hex') ?? null],
];

// --- VERIFY.txt ----------------------------------------------------------------------------------

/** A shell word in single quotes: nothing inside is interpreted. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The archive as VERIFY.txt's commands name it: its own file name, so each command runs as written
 * where it was saved, quoted when the shell would read it otherwise; a name holding a line break or
 * other control character (which could put a forged command on a line of its own) as evidence.zip.
 */
function archiveWord(name: string | undefined): string {
  const plain = name && !/[\x00-\x1f\x7f-\x9f]/.test(name) ? name : 'evidence.zip';
  return /^[A-Za-z0-9._+-]+$/.test(plain) ? plain : shellQuote(plain);
}

/**
 * The command that recomputes a chained hash: the previous hash (base64) and the body. A body of
 * printable ASCII is given as text; any other (device text: a bidi control, a zero-width or
 * non-Latin character, which a terminal may draw reordered or not at all) in base64, so the
 * command reads as it runs. The body as text is in the .jsonl file.
 */
function hashCommand(prev: Buffer, body: string): string {
  const text = /^[\x20-\x7e]*$/.test(body) ? `printf %s ${shellQuote(body)}` : `printf %s ${Buffer.from(body, 'utf8').toString('base64')} | base64 -d`;
  return `   $ { printf %s ${prev.toString('base64')} | base64 -d; ${text}; } | sha256sum`;
}

/**
 * Every records.jsonl line's hash recomputed, with awk, printf, sha256sum and a shell loop alone.
 * awk takes each line not marked redacted apart (recordJson writes id, collector, seq, previousHash,
 * hash, body first) into the id, the previous hash as printf's octal escapes (its 32 bytes without
 * xxd, which Debian's base lacks), the hash, and the body unescaped: the line's JSON escapes only a
 * quote, a backslash and the five characters inertJson writes as \uXXXX (the body is JSON text
 * itself, so it holds no control character or line break). Each record's bytes then go to
 * sha256sum, and the last awk compares each result with the line's hash: a subshell and a sha256sum
 * a record.
 */
const RECORD_HASHES = String.raw`awk 'BEGIN { for (i = 0; i < 16; i++) v[sprintf("%x", i)] = i; u["003c"] = "<"; u["003e"] = ">"; u["0026"] = "&"; u["2028"] = "\342\200\250"; u["2029"] = "\342\200\251" } /,"redacted":true}$/ { next } { id = substr($0, 7, index($0, ",") - 7); p = substr($0, index($0, "\"previousHash\":\"") + 16, 64); prev = ""; for (k = 1; k < 64; k += 2) prev = prev sprintf("\\%03o", v[substr(p, k, 1)] * 16 + v[substr(p, k + 1, 1)]); s = substr($0, index($0, "\"body\":\"") + 8); body = ""; while (match(s, /["\\]/) && substr(s, RSTART, 1) == "\\") { c = substr(s, RSTART + 1, 1); n = 2; if (c == "u") { c = u[substr(s, RSTART + 2, 4)]; n = 6 } body = body substr(s, 1, RSTART - 1) c; s = substr(s, RSTART + n) } print id, prev, substr($0, index($0, "\"hash\":\"") + 8, 64), body substr(s, 1, RSTART - 1) }' records.jsonl | while read -r id prev hash body; do echo "$id $hash"; { printf "$prev"; printf %s "$body"; } | sha256sum; done | awk 'NR % 2 { id = $1; want = $2; next } $1 != want { print "record " id " does not match its hash" }'`;

/**
 * The records the review cites (every "records" list in report.json: its rows' and findings') against
 * those records.jsonl holds: diff names one cited and missing (<) or held and not cited (>).
 */
const RECORDS_CITED = String.raw`grep -o '"records":\[[0-9,]*\]' report.json | tr -c '0-9' '\n' | awk NF | sort -u > ../cited.txt && awk -F'"' '{ id = $3; gsub(/[^0-9]/, "", id); print id }' records.jsonl | sort -u | diff ../cited.txt -`;

/** Each chain's head at generation, a line each: its position, its hash and its collector (as records.jsonl writes the name). */
const HEADS = 'chain-heads.txt';

/**
 * records.jsonl's links and their chains' heads, by collector: a line's fields split at `"` are 6
 * the collector, 9 `:seq,`, 12 the previous hash, 16 the hash (recordJson writes them first; a
 * collector's name holds no quote). A record right after another cited one of its chain has that
 * one's hash as its previous hash; none lies past its chain's head (or in a chain with none); one at
 * the head's position is the head.
 */
const RECORD_LINKS = String.raw`awk -F'"' 'FILENAME == "${HEADS}" { split($0, w, " "); c = substr($0, length(w[1]) + length(w[2]) + 3); top[c] = w[1]; head[c] = w[2]; next } { id = $3; gsub(/[^0-9]/, "", id); seq = $9; gsub(/[^0-9]/, "", seq) } ($6 in hash) && seq + 0 == at[$6] + 1 && $12 != hash[$6] { print "record " id " does not follow the one before it in the chain of " $6 } !($6 in top) || seq + 0 > top[$6] + 0 { print "record " id " lies past the head of the chain of " $6 } ($6 in top) && seq + 0 == top[$6] + 0 && $16 != head[$6] { print "record " id " is at the head of the chain of " $6 " and is not that head" } { hash[$6] = $16; at[$6] = seq }' ${HEADS} records.jsonl`;

/**
 * The check that each activity.jsonl line's previous hash is the line before's hash, with awk alone:
 * every line starts {"id":N,"previousHash":"…","hash":"…", so split at the quotes the id is field 3,
 * the previous hash field 6 and the hash field 10 (whatever the body holds comes after them).
 */
const ACTIVITY_LINKS = `awk -F'"' '{ id = $3; gsub(/[^0-9]/, "", id) } NR > 1 && $6 != last { print "entry " id " does not follow the one before it" } { last = $10 }' activity.jsonl`;

interface ActivityExample {
  id: number;
  prev: Buffer;
  hash: Buffer;
  body: string;
}

/** What a pack holds, as VERIFY.txt describes it: its text says only what is there (an empty period's pack has no example, no diffs, no roster). */
interface PackShape {
  archive: string;
  /** The last cited record that needs no redaction: the worked example. */
  example: RecordRow | undefined;
  activity: ActivityExample | undefined;
  /** Records the review cites, those the pack holds (the newest, PackOptions.maxRecords), and those of them given redacted. */
  cited: number;
  held: number;
  redacted: number;
  diffs: number;
  roster: number;
}

function verifyText(doc: ExportDocument, key: SigningKey, shape: PackShape): string {
  const { archive, example, activity } = shape;
  const h = doc.header;
  // Typed text (a scope) goes in as one visible line: a line break in it must not forge a command below.
  const lines = [
    'aaawatch evidence pack: how to check it without aaawatch',
    '',
    `Generated ${h.generatedAt} by ${printable(h.generatedBy)} on ${printable(h.appliance)} (aaawatch ${h.version}).`,
    `Period ${h.period.from} to ${h.period.to}; scope: ${printable(h.scope, 2000)}.`,
    `Record chain at generation: ${printable(chainWords(h.chain), 4000)}.`,
    '',
    `Signing key fingerprint (SHA-256 of the raw 32-byte Ed25519 public key): ${key.fingerprint}`,
    'Compare it with the fingerprint the appliance shows on its Exports page, or that its administrator',
    'gives you: never only with the copy of the key in this pack.',
    '',
    'Each command below is run in a shell (bash or sh) with openssl (1.1.1 or later), sha256sum, base64',
    'and unzip; the lines starting with "$ " are the commands, the indented lines after them what they print.',
    'Without sha256sum (macOS before 15), `shasum -a 256` does the same: put it wherever sha256sum is written.',
    'An openssl without `pkeyutl -rawin` (LibreSSL, as macOS ships it) cannot check step 3: use OpenSSL 1.1.1 or later.',
    '',
    `1. Unpack the archive into a new directory and go there (it was saved as ${archive}: if you renamed it,`,
    '   give its new name here and in step 5).',
    `   $ mkdir pack && cd pack && unzip -q ../${archive}`,
    '',
    '2. The public key is the appliance\'s: its fingerprint must be the one above.',
    '   $ openssl pkey -pubin -in signing-key.pem -outform DER | tail -c 32 | sha256sum',
    `     ${key.fingerprint}  -`,
    '',
    '3. SHA256SUMS was signed with that key.',
    `   $ openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in ${SUMS} -sigfile ${SUMS_SIGNATURE}`,
    '     Signature Verified Successfully',
    '',
    '4. Every file is as signed: each line ends in OK, none FAILED.',
    `   $ sha256sum -c ${SUMS}`,
    '',
    '5. The archive holds nothing else: this prints nothing.',
    `   $ unzip -Z1 ../${archive} | sort > ../in-archive.txt && { cut -c67- ${SUMS}; printf '%s\\n' ${SUMS} ${SUMS_SIGNATURE}; } | sort | diff ../in-archive.txt -`,
    '',
    'What the files are:',
    '  accounts.csv    one row per device and account in the period (pulled, syslog-only, removed, missing),',
    '                  with roster standing, owner, approval, creation, last login, findings and decisions;',
    `                  "records" and "snapshots" name the rows of records.csv and ${shape.diffs ? 'the files of diffs/' : 'the diffs (none cited: this pack has no diffs/)'}`,
    '  findings.csv    every finding in scope with its latest decision (reviewer, its path, reason, until, ticket)',
    '  decisions.csv   the decision log: every decision people took in the period, each with its path:',
    '                  web (signed-in session) or api (token and its user) are authenticated; cli is',
    '                  self-asserted (--by typed on the appliance, with the OS user who ran it);',
    '                  unknown: decided before aaawatch recorded paths',
    '  report.json     all of the above with the header block; report.pdf the same for reading',
    '  records.csv     every cited record: time, receive time, transport, sender address, raw message, chain position;',
    '                  in a cell a control character (tab, escape) is shown as \\xNN (records.jsonl has it as stored);',
    '                  a message that was not UTF-8 is stored escaped (each such byte, and every backslash, as \\xNN)',
    '                  and given as received, in base64, under "raw bytes"',
    '                  a record whose transport is "file" was read from a file by `aaawatch import`: activity.csv has that',
    '                  import (action "import": who, the file\'s SHA-256 as sha256sum gives it) with the record\'s "received at"',
    '  records.jsonl   the same with each record\'s chain body exactly as hashed ("rawBytes": the bytes as received)',
    ...(shape.diffs
      ? [
        '  diffs/          every snapshot cited: its diff from the one before (snapshot-A-to-B.diff), or a device\'s first',
        '                  whole (snapshot-B.diff); secrets redacted',
      ]
      : []),
    '  activity.csv    the web activity log of the period (sign-ins, refusals, exports, decisions, imports), itself hash-chained',
    '  activity.jsonl  the same with each entry\'s body exactly as hashed',
    ...(doc.inScope
      ? [
        '                  This pack is scoped: only the entries about its devices (decisions on their findings and',
        '                  cases) are given whole; every other entry of the period (other devices\' decisions, sign-ins,',
        `                  refusals, exports, user and token management) as its id and hashes alone ("withheld": "${WITHHELD}"),`,
        '                  so the chain still checks across it and nothing it says is disclosed',
      ]
      : []),
    shape.roster
      ? '  roster/         the roster files as read at generation (their SHA-256 are in manifest.json too)'
      : '  (no roster/)    no roster was configured (reconcile.roster)',
    `  ${HEADS} each record chain's head at generation: its position, its hash and its collector`,
    '  manifest.json   the header block, the summary and every file with its size and SHA-256',
    '',
    'Records are chained, one chain a collector: each record\'s hash is SHA-256 over the hash of the record before it',
    'in its collector\'s chain (32 bytes) followed by its chain body (records.jsonl, "body"); records.csv and',
    'records.jsonl give each record\'s collector and its position in that chain ("seq"; the id is the store\'s row).',
    'A body holding text that reads as a secret (a password typed into a reason) is given redacted, marked',
    '"redacted": true in its .jsonl line: its hash cannot be recomputed from the pack; `aaawatch verify` checks it.',
  ];
  if (example || activity) lines.push('In the examples below a body that is not all printable ASCII is given in base64, so each reads as it runs.');
  lines.push('');
  if (example) {
    lines.push(
      `For example, record ${example.id}, position ${example.seq} in the chain of collector ${printable(example.collector)} (the last cited that needs no redaction):`,
      hashCommand(example.prev_hash, chainBody(example)), `     ${example.hash.toString('hex')}  -`,
    );
  }
  const checked = shape.held === 0 ? 'records.jsonl holds none in this pack' : `the ${shape.held - shape.redacted} of the ${shape.held} records in records.jsonl${shape.redacted ? ' not given redacted' : ''}`;
  lines.push(
    `6. Every record's hash (${checked}), recomputed from its line the same way:`,
    '   this prints nothing (a record whose line was changed would be named).',
    `   $ ${RECORD_HASHES}`,
    '',
    '7. records.jsonl holds every record the review cites (each "records" list in report.json) and no other:',
    shape.held < shape.cited
      ? `   it holds the newest ${shape.held} of the ${shape.cited} cited (a bound on its size): this lists the ${shape.cited - shape.held} others, each "< id".`
      : '   this prints nothing.',
    `   $ ${RECORDS_CITED}`,
    '',
    `8. Each cited record right after another cited one of its chain (its position one more) has that one's hash`,
    `   as its previous hash; none lies past its chain's head at generation (${HEADS}, as the manifest gives it),`,
    '   and one at a head\'s position is that head: this prints nothing.',
    `   $ ${RECORD_LINKS}`,
    '',
    'What steps 6 to 8 prove, and what they do not. The pack holds the records the review cites, not those',
    'between them, nor those after the last of them up to the head: without their bodies no one can recompute',
    'a chain across them. So a cited record is tied to its neighbours and to the head by these commands only',
    'where nothing lies between; across a gap, that it is in the chain whose head the manifest gives rests on',
    `the appliance's signature over this pack (steps 2 to 4) and on \`aaawatch verify\`, which recomputes every`,
    'chain on the appliance from its first record to its head.',
  );
  lines.push(
    '',
    'The activity log is chained the same way: each entry\'s hash is SHA-256 over the previous entry\'s hash',
    'followed by its body (activity.jsonl, "body"); `aaawatch verify` checks the whole log on the appliance.',
  );
  if (activity) {
    lines.push(`For example, entry ${activity.id} (the last of the period${doc.inScope ? ' given whole' : ''} that needs no redaction):`, hashCommand(activity.prev, activity.body), `     ${activity.hash.toString('hex')}  -`);
  }
  lines.push(
    'Each entry follows the one before it (its previous hash is that entry\'s hash), withheld ones included: this',
    'prints nothing (an entry written before the log was chained, without hashes, would be named).',
    `   $ ${ACTIVITY_LINKS}`,
  );
  return lines.join('\n') + '\n';
}

// --- The pack ------------------------------------------------------------------------------------

export interface PackOptions {
  /** Cited records at most (the newest kept): a bound on the pack's size. */
  maxRecords?: number;
  maxDiffs?: number;
  /** The file name the pack is delivered under (the download's, `--out`'s): VERIFY.txt's commands name it. */
  archive?: string | undefined;
}

/** Write the pack for `doc` to `sink`. */
export async function writeEvidencePack(db: Db, doc: ExportDocument, key: SigningKey, sink: PackSink, o: PackOptions = {}): Promise<void> {
  const pack = new PackWriter(sink, new Date(doc.header.generatedAt));
  const ids = new Set<number>();
  for (const r of doc.rows) for (const id of r.records) ids.add(id);
  for (const f of doc.findings) for (const id of f.records) ids.add(id);
  const cited = [...ids].sort((a, b) => a - b).slice(-(o.maxRecords ?? 1_000_000));
  const collector = doc.header.chain.collector ?? doc.header.appliance;

  await pack.add('accounts.csv', csvChunks(ACCOUNT_COLUMNS, doc.rows));
  await pack.add('findings.csv', csvChunks(FINDING_COLUMNS, doc.findings));
  await pack.add('decisions.csv', csvChunks(DECISION_COLUMNS, doc.decisions));
  await pack.add('report.json', reportJsonChunks(doc));
  await pack.add('report.pdf', pdfChunks(doc));
  let example: RecordRow | undefined;
  let held = 0;
  let redactedRecords = 0;
  await pack.add('records.csv', csvChunks(RECORD_COLUMNS, citedRecords(db, cited, collector)));
  await pack.add('records.jsonl', (function* () {
    for (const r of citedRecords(db, cited, collector)) {
      const { line, redacted } = recordJson(r);
      held++;
      if (redacted) redactedRecords++;
      else example = r;
      yield line;
    }
  })());
  await pack.add(HEADS, [headLines(doc.header.chain, collector)]);
  const diffs = citedSnapshots(db, doc, o.maxDiffs ?? 5000);
  for (const { from, to } of diffs) await pack.add(diffName(from, to), diffText(db, from, to));
  await pack.add('activity.csv', csvChunks(ACTIVITY_COLUMNS, activityRows(db, doc)));
  let activity: ActivityExample | undefined;
  await pack.add('activity.jsonl', (function* () {
    for (const r of activityRows(db, doc)) {
      const { line, body, redacted } = activityJson(r);
      if (r.whole && r.prev_hash && r.hash && !redacted) activity = { id: r.id, prev: r.prev_hash, hash: r.hash, body };
      yield line;
    }
  })());
  for (const [i, f] of doc.header.roster.entries()) await pack.add(`roster/${i + 1}-${plainName(basename(f.path))}`, [readFileSync(f.path)]);
  await pack.add('signing-key.pem', [key.publicKeyPem]);
  const shape: PackShape = { archive: archiveWord(o.archive), example, activity, cited: ids.size, held, redacted: redactedRecords, diffs: diffs.length, roster: doc.header.roster.length };
  await pack.add('VERIFY.txt', [verifyText(doc, key, shape)]);
  const manifest: Manifest = {
    format: PACK_FORMAT,
    header: doc.header,
    summary: doc.summary,
    signature: { algorithm: 'Ed25519', file: SUMS_SIGNATURE, signs: SUMS, publicKeySha256: key.fingerprint },
    files: [...pack.files],
  };
  await pack.add(MANIFEST, [safeJson(manifest) + '\n']);
  const sums = Buffer.from(pack.files.map((f) => `${f.sha256}  ${f.name}\n`).join(''), 'utf8');
  await pack.add(SUMS, [sums]);
  await pack.add(SUMS_SIGNATURE, [sign(null, sums, key.privateKey)]);
  await pack.end();
}

/** The pack in memory (tests, small exports). */
export async function evidencePack(db: Db, doc: ExportDocument, key: SigningKey, o: PackOptions = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeEvidencePack(db, doc, key, (c) => void chunks.push(c), o);
  return Buffer.concat(chunks);
}

// --- Checking a pack -----------------------------------------------------------------------------

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
  if (!contents[SUMS] && contents[V1.signature]) return verifyV1(contents, seen, publicKey, fingerprint, problems);
  const sums = contents[SUMS];
  const signature = contents[SUMS_SIGNATURE];
  if (!sums) problems.push(`no ${SUMS} in the archive`);
  if (!signature) problems.push(`no ${SUMS_SIGNATURE} in the archive`);
  if (!sums || !signature) return { ok: false, problems, files: [], publicKeySha256: fingerprint };
  if (!verify(null, sums, publicKey, signature)) {
    problems.push(`the signature over ${SUMS} does not verify with this public key (the file list was changed, or another key signed it)`);
  }
  const listed: ManifestFile[] = [];
  for (const line of Buffer.from(sums).toString('utf8').split('\n')) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64})  (.+)$/.exec(line);
    if (!m) {
      problems.push(`${SUMS} has a line that is not "<sha256>  <name>": ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    listed.push({ name: m[2]!, sha256: m[1]!, bytes: contents[m[2]!]?.byteLength ?? 0 });
  }
  const files = listed.map((f) => {
    const data = contents[f.name];
    let ok = true;
    if (!data) {
      problems.push(`${f.name} is listed in ${SUMS} but missing from the archive`);
      ok = false;
    } else if (sha256Hex(data) !== f.sha256) {
      problems.push(`${f.name} does not match its SHA-256 in ${SUMS} (it was changed)`);
      ok = false;
    }
    return { ...f, ok };
  });
  const allowed = new Set([SUMS, SUMS_SIGNATURE, ...listed.map((f) => f.name)]);
  for (const n of seen) if (!allowed.has(n)) problems.push(`${JSON.stringify(n)} is in the archive but not in ${SUMS}`);
  let header: ExportHeader | undefined;
  const manifestBytes = contents[MANIFEST];
  if (!manifestBytes || !listed.some((f) => f.name === MANIFEST)) problems.push(`${MANIFEST} is not in the archive, or not signed`);
  else {
    try {
      const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as Manifest;
      header = manifest.header;
      if (manifest.format !== PACK_FORMAT) problems.push(`unknown pack format ${JSON.stringify(manifest.format)}`);
      if (manifest.signature?.publicKeySha256 !== fingerprint) problems.push(`the manifest names signing key ${String(manifest.signature?.publicKeySha256)}, not ${fingerprint}`);
      const signed = new Map(listed.map((f) => [f.name, f.sha256]));
      for (const f of Array.isArray(manifest.files) ? manifest.files : []) {
        if (signed.get(f.name) !== f.sha256) problems.push(`${MANIFEST} lists ${JSON.stringify(f.name)} with a hash ${SUMS} does not`);
      }
    } catch {
      problems.push(`${MANIFEST} is not JSON`);
    }
  }
  return { ok: problems.length === 0, problems, files, ...(header ? { header } : {}), publicKeySha256: fingerprint };
}

interface ManifestV1 {
  format: string;
  header: ExportHeader;
  signature?: { publicKeySha256?: string };
  files?: ManifestFile[];
}

/** A pack of the first format: manifest.json signed (base64 in manifest.sig), its files listed in it. */
function verifyV1(contents: Record<string, Uint8Array>, seen: ReadonlySet<string>, publicKey: KeyObject, fingerprint: string, problems: string[]): VerifyResult {
  const manifestBytes = contents[MANIFEST];
  if (!manifestBytes) return { ok: false, problems: [...problems, `no ${MANIFEST} in the archive`], files: [], publicKeySha256: fingerprint };
  const signature = Buffer.from(Buffer.from(contents[V1.signature]!).toString('utf8').trim(), 'base64');
  if (!verify(null, manifestBytes, publicKey, signature)) {
    problems.push('the signature over manifest.json does not verify with this public key (the manifest was changed, or another key signed it)');
  }
  let manifest: ManifestV1;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as ManifestV1;
  } catch {
    return { ok: false, problems: [...problems, 'manifest.json is not JSON'], files: [], publicKeySha256: fingerprint };
  }
  if (manifest.format !== V1.format) problems.push(`unknown pack format ${JSON.stringify(manifest.format)}`);
  if (manifest.signature?.publicKeySha256 !== fingerprint) problems.push(`the manifest names signing key ${String(manifest.signature?.publicKeySha256)}, not ${fingerprint}`);
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
  const allowed = new Set([MANIFEST, V1.signature, ...listed.map((f) => f.name)]);
  for (const n of seen) if (!allowed.has(n)) problems.push(`${JSON.stringify(n)} is in the archive but not in the manifest`);
  return { ok: problems.length === 0, problems, files, header: manifest.header, publicKeySha256: fingerprint };
}
