// The corpus comparison `npm run corpus` prints and test/parsers/corpus-report.test.ts enforces:
// every line of test/corpus/{syslog,cloud,envelopes} goes through the real header parser, the
// envelope layer and the full platform registry, and what comes out is held against the reviewed cases in
// test/parsers/cases/*.ts and parsers/<platform>/test/cases.ts. No test framework here, so the report runs under plain tsx.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { platformFolders } from '../../parsers/folders.js';
import { platforms } from '../../parsers/index.js';
import { readMessage } from '../../src/ingest/envelopes/index.js';
import { createRecogniser, type UnknownType } from '../../src/ingest/recognise.js';
import type { AaaRecord, Platform } from '../../src/types.js';
import type { CorpusCase } from '../parsers/cases/types.js';
import { CORPUS, corpusPath, REPO } from '../support/corpus.js';

/** The receive time every corpus line is read with (the same as test/parsers/harness.ts RECEIVED). */
export const CORPUS_RECEIVED_AT = Date.parse('2026-11-21T23:00:00Z');

/** The folders of the corpus that hold log lines (ssh-sessions/ is configuration text). */
const LOG_FOLDERS = ['syslog', 'cloud', 'envelopes'];

export interface CaseModule {
  /** Platform id, from the case file's name. */
  platform: string;
  cases: CorpusCase[];
}

export interface LineResult {
  line: number;
  records: AaaRecord[];
  unknown: UnknownType[];
}

/** Cases for lines that must yield nothing. */
export function none(file: string, lines: number[], note: string): CorpusCase[] {
  return lines.map((line) => ({ file, line, expect: [], note }));
}

/** Inclusive range of line numbers, minus the ones listed. */
export function lines(from: number, to: number, except: number[] = []): number[] {
  const skip = new Set(except);
  const out: number[] = [];
  for (let n = from; n <= to; n++) if (!skip.has(n)) out.push(n);
  return out;
}

/** Wazuh ruleset tests (`ruleset/testing/tests/*.ini`) give each line as `log N pass = LINE`. */
const WAZUH_TEST_LINE = /^log \d+ (?:pass|fail) = /;

/**
 * Huawei's log references print each message without its header (`AAA/6/…:Description`); a device
 * sends `TimeStamp HostName %%01` before it, as the references' "Log Message Format Description"
 * shows with its own example (`Aug 6 2011 20:34:46 HUAWEI %%01HWCM/5/EXIT(l)[1]: exit from
 * configure mode`). That example's header is what a `*.vrp-logref` line is sent with.
 */
const VRP_LOGREF_HEADER = 'Aug 6 2011 20:34:46 HUAWEI %%01';

/**
 * The text a corpus line stands for: panther rule tests (`*.tests.jsonl`) wrap the record in `Log`;
 * Wazuh ruleset tests (`*.ini.relevant`) put `log N pass = ` before the line their sender sent;
 * a Huawei log reference's message (`*.vrp-logref`) goes out behind the reference's example header.
 */
export function corpusInput(file: string, text: string): string {
  if (file.endsWith('.vrp-logref')) return VRP_LOGREF_HEADER + text;
  if (file.includes('.ini')) {
    const m = WAZUH_TEST_LINE.exec(text);
    return m ? text.slice(m[0].length) : text;
  }
  if (!file.endsWith('.tests.jsonl')) return text;
  try {
    const log = (JSON.parse(text) as { Log?: unknown }).Log;
    return log === undefined ? text : JSON.stringify(log);
  } catch {
    return text;
  }
}

/** Non-empty lines of a corpus file with their 1-based numbers. */
export function fileLines(file: string): Array<{ line: number; text: string }> {
  return readFileSync(corpusPath(file), 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.replace(/\r$/, '') }))
    .filter((l) => l.text.length > 0);
}

/**
 * The messages a corpus file holds, numbered as its cases name them. Most files are one message a
 * line. Under envelopes/, a whole `.xml` or `.json` file is one message (an event XML document, a
 * pretty-printed GELF payload: senders carry either as one frame), except Elastic's pipeline test
 * inputs (`{"events": […]}`), where event N is message N, each sent as the one-line JSON a shipper
 * writes. A `.multiline` file (a Filebeat module's test input) holds pretty-printed JSON objects one
 * after another, each opened by a line `{` and closed by a line `}`, as Filebeat's multiline setting
 * joins them: object N is message N, sent as the one-line JSON the product's own forwarder writes.
 * The elements of a pretty-printed JSON array (a tool's export, a test's list of events) read the
 * same way: opened by a line that is an indent and `{`, closed by that indent and `}` or `},`.
 */
export function corpusMessages(file: string): Array<{ line: number; text: string }> {
  if (file.endsWith('.multiline')) return jsonObjects(file);
  if (!file.startsWith('envelopes/') || !/\.(xml|json)$/.test(file)) return fileLines(file);
  const whole = readFileSync(corpusPath(file), 'utf8');
  if (file.endsWith('.json')) {
    const events = (JSON.parse(whole) as { events?: unknown }).events;
    if (Array.isArray(events)) return events.map((e, i) => ({ line: i + 1, text: JSON.stringify(e) }));
  }
  return [{ line: 1, text: whole }];
}

/** The pretty-printed JSON objects of a `.multiline` file, each as one line of JSON. */
function jsonObjects(file: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let open: string[] | undefined;
  let indent = '';
  for (const text of readFileSync(corpusPath(file), 'utf8').split('\n')) {
    const opening = open ? null : /^( *)\{$/.exec(text);
    if (opening) {
      open = [];
      indent = opening[1]!;
    }
    if (!open) continue;
    const closed = text === `${indent}}` || text === `${indent}},`;
    open.push(closed ? `${indent}}` : text);
    if (closed) {
      out.push({ line: out.length + 1, text: JSON.stringify(JSON.parse(open.join('\n'))) });
      open = undefined;
    }
  }
  return out;
}

/** Every message of the corpus as the reader is given it, then every line of the hostile strings, each with where it came from. */
export function corpusAndHostileTexts(): Array<{ where: string; text: string }> {
  const texts: Array<{ where: string; text: string }> = [];
  for (const file of corpusLogFiles()) {
    for (const { line, text } of corpusMessages(file)) texts.push({ where: `${file}:${line}`, text: corpusInput(file, text) });
  }
  for (const [i, text] of readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').entries()) texts.push({ where: `hostile-strings.txt:${i + 1}`, text });
  return texts;
}

/** Every line of a file, in order, through one recogniser over the full registry (state carries over, as from one sender). */
export function runFile(file: string): LineResult[] {
  const recognise = createRecogniser(platforms);
  return corpusMessages(file).map(({ line, text }) => {
    const msg = readMessage(corpusInput(file, text), { receivedAt: CORPUS_RECEIVED_AT, transport: 'file' });
    const { records, unknown } = recognise(msg);
    return { line, records, unknown: [...unknown] };
  });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Differences between records and a case's expectation: count, then each field given (`undefined` = absent). */
export function differences(records: AaaRecord[], expected: CorpusCase['expect']): string[] {
  if (records.length !== expected.length) {
    return [`expected ${expected.length} record(s), got ${records.length}: ${JSON.stringify(records)}`];
  }
  const out: string[] = [];
  expected.forEach((want, i) => {
    const got = records[i] as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) {
      if (v === undefined) {
        if (Object.hasOwn(got, k)) out.push(`record ${i}: ${k} should be absent, is ${JSON.stringify(got[k])}`);
      } else if (!same(got[k], v)) {
        out.push(`record ${i}: ${k} expected ${JSON.stringify(v)}, got ${JSON.stringify(got[k])}`);
      }
    }
  });
  return out;
}

/**
 * Every case file: test/parsers/cases/<name>.ts (the envelopes'), and a platform folder's own
 * parsers/<platform>/test/cases.ts (where a platform added as one folder keeps them).
 */
export async function loadCaseModules(): Promise<CaseModule[]> {
  const dir = join(REPO, 'test/parsers/cases');
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.ts') && n !== 'types.ts')
    .map((n) => ({ platform: basename(n, '.ts'), path: join(dir, n) }));
  for (const folder of platformFolders()) {
    const path = join(folder.dir, 'test', 'cases.ts');
    if (existsSync(path)) files.push({ platform: folder.name, path });
  }
  const out: CaseModule[] = [];
  for (const f of files.sort((a, b) => (a.platform < b.platform ? -1 : 1))) {
    const mod = (await import(pathToFileURL(f.path).href)) as { cases?: CorpusCase[] };
    out.push({ platform: f.platform, cases: mod.cases ?? [] });
  }
  return out;
}

/** Corpus files holding log lines, corpus-relative. */
export function corpusLogFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      // Peers' expected outputs (`*-expected.json`, `*.expected.jsonl`) are not log lines; under
      // envelopes/ a `.json` file is a sample (see corpusMessages).
      else if ((!e.name.endsWith('.json') || relative(CORPUS, p).startsWith('envelopes/')) && !e.name.endsWith('.expected.jsonl') && !e.name.endsWith('.md')) {
        out.push(relative(CORPUS, p));
      }
    }
  };
  for (const f of LOG_FOLDERS) walk(join(CORPUS, f));
  return out.sort();
}

export interface PlatformSummary {
  platform: string;
  /** Corpus lines with a case of this platform. */
  linesRead: number;
  /** Records this platform produced over the whole corpus, by kind. */
  records: Record<string, number>;
  mismatches: string[];
  /** `file:line` of lines in this platform's files that no case reviews. */
  unreviewed: string[];
}

export interface Comparison {
  platforms: PlatformSummary[];
  /** Files no case file covers, with their line counts. */
  unownedFiles: Array<{ file: string; lines: number }>;
  /** Cases that name a line the corpus does not have, or that are given twice. */
  invalid: string[];
}

export async function compareCorpus(): Promise<Comparison> {
  const modules = await loadCaseModules();
  const summaries = new Map<string, PlatformSummary>();
  const summary = (platform: string): PlatformSummary => {
    let s = summaries.get(platform);
    if (!s) {
      s = { platform, linesRead: 0, records: {}, mismatches: [], unreviewed: [] };
      summaries.set(platform, s);
    }
    return s;
  };
  const byKey = new Map<string, { platform: string; c: CorpusCase }>();
  const ownerOf = new Map<string, string>();
  const invalid: string[] = [];
  for (const m of modules) {
    summary(m.platform);
    for (const c of m.cases) {
      const key = `${c.file}:${c.line}`;
      if (byKey.has(key)) invalid.push(`${key}: case given twice (${byKey.get(key)!.platform}, ${m.platform})`);
      byKey.set(key, { platform: m.platform, c });
      if (!ownerOf.has(c.file)) ownerOf.set(c.file, m.platform);
    }
  }
  const unownedFiles: Array<{ file: string; lines: number }> = [];
  const seen = new Set<string>();
  for (const file of corpusLogFiles()) {
    const results = runFile(file);
    for (const r of results) for (const rec of r.records) {
      const s = summary(rec.platform);
      s.records[rec.kind] = (s.records[rec.kind] ?? 0) + 1;
    }
    const owner = ownerOf.get(file);
    if (owner === undefined) {
      unownedFiles.push({ file, lines: results.length });
      continue;
    }
    for (const r of results) {
      const key = `${file}:${r.line}`;
      const found = byKey.get(key);
      if (!found) {
        summary(owner).unreviewed.push(key);
        continue;
      }
      seen.add(key);
      const s = summary(found.platform);
      s.linesRead++;
      for (const d of differences(r.records, found.c.expect)) s.mismatches.push(`${key}: ${d}`);
    }
  }
  for (const key of byKey.keys()) if (!seen.has(key)) invalid.push(`${key}: no such corpus line`);
  return {
    platforms: [...summaries.values()].sort((a, b) => a.platform.localeCompare(b.platform)),
    unownedFiles,
    invalid,
  };
}

/** What every record must be: this platform's, a real UTC time, and no empty or undefined field. */
function malformed(r: AaaRecord, platform: string): string | undefined {
  if (r.platform !== platform) return `platform ${r.platform}`;
  if (Number.isNaN(Date.parse(r.time)) || new Date(r.time).toISOString() !== r.time) return `time ${r.time}`;
  for (const [k, v] of Object.entries(r)) if (v === undefined || v === '') return `field ${k} is empty`;
  return undefined;
}

/**
 * Where a platform's records disagree with panther-analysis's `ExpectedResult` for its rule test
 * lines (the rule fires, or not) without the case's note saying why (`DISAGREES …`), or say they
 * disagree where they agree. Empty when all is well.
 */
export function pantherAgreement(files: string[], cases: CorpusCase[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const verdicts = new Map(fileLines(file).map(({ line, text }) => [line, (JSON.parse(text) as { ExpectedResult: boolean }).ExpectedResult]));
    for (const r of runFile(file)) {
      const c = cases.find((x) => x.file === file && x.line === r.line)!;
      const agrees = verdicts.get(r.line) === r.records.some((x) => x.kind === 'account');
      const documented = c.note?.startsWith('DISAGREES') === true;
      if (agrees === documented) problems.push(`${file}:${r.line}: ${agrees ? 'agrees with panther but says DISAGREES' : 'disagrees with panther without saying why'}`);
    }
  }
  return problems;
}

/**
 * Problems with one platform's cases, the platform running alone: a line of `files` without a
 * case, a case naming no line, records that differ, malformed records, lines reported as unknown.
 * Empty when all is well.
 */
export function platformCaseProblems(platform: Platform, files: string[], cases: CorpusCase[]): string[] {
  const problems: string[] = [];
  const byKey = new Map<string, CorpusCase>();
  for (const c of cases) {
    const key = `${c.file}:${c.line}`;
    if (byKey.has(key)) problems.push(`${key}: case given twice`);
    byKey.set(key, c);
  }
  const seen = new Set<string>();
  for (const file of files) {
    const recognise = createRecogniser([platform]);
    for (const { line, text } of corpusMessages(file)) {
      const key = `${file}:${line}`;
      const c = byKey.get(key);
      const { records, unknown } = recognise(readMessage(corpusInput(file, text), { receivedAt: CORPUS_RECEIVED_AT, transport: 'file' }));
      if (!c) {
        problems.push(`${key}: no case`);
        continue;
      }
      seen.add(key);
      if (unknown.length > 0) {
        const what = unknown.map((u) => (u.device === undefined ? u.type : `${u.type} (${u.device})`));
        problems.push(`${key}: reported as unknown ${what.join(', ')}`);
      }
      for (const r of records) {
        const bad = malformed(r, platform.id);
        if (bad) problems.push(`${key}: malformed record (${bad})`);
      }
      for (const d of differences(records, c.expect)) problems.push(`${key}: ${d}`);
    }
  }
  for (const key of byKey.keys()) if (!seen.has(key)) problems.push(`${key}: names no line of the platform's files`);
  return problems;
}
