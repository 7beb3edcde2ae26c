// Shared by the network platform tests: real lines go through the real header parser, then a
// platform's `recognise` with its own state (as src/ingest/recognise.ts gives it), and records are
// checked against expectations given as field subsets (test/parsers/cases/types.ts).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { createDispatch } from '../../src/ingest/dispatch.js';
import { parseSyslog } from '../../src/ingest/header.js';
import type { AaaRecord, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { corpusPath } from '../support/corpus.js';
import { corpusInput } from '../tools/corpus-cases.js';
import type { CorpusCase } from './cases/types.js';

export const RECEIVED = Date.parse('2026-11-21T23:00:00Z');

type Recognise = (msg: SyslogMessage, ctx: RecogniseContext) => AaaRecord[];

export interface Recognition {
  records: AaaRecord[];
  unknown: string[];
}

export interface HarnessOptions {
  /**
   * The device zone lookup, for the header's zoneless stamps and the platform's body stamps alike
   * (src/ingest/devices.ts gives both the same function). Default: no zones (UTC).
   */
  zoneFor?: RecogniseContext['zoneFor'];
}

/**
 * One recogniser with its own state; each call parses a line and recognises it. `unknown` lists
 * the types reported; the device a report names is not kept here (tests of it use
 * src/ingest/recognise.ts, which keeps both). A line that yields records or unknowns must be one
 * the platform's declared `offer` selects, else the reader would never offer it.
 */
export function recogniser(recognise: Recognise, platform: string, options: HarnessOptions = {}): (line: string, source?: string) => Recognition {
  const state = new Map<string, unknown>();
  const zoneFor: RecogniseContext['zoneFor'] = options.zoneFor ?? (() => undefined);
  const declared = platformById(platform);
  const offered = declared ? createDispatch([declared]) : undefined;
  return (line, source) => {
    const unknown: string[] = [];
    const ctx: RecogniseContext = {
      state<T>(key: string, init: () => T): T {
        if (!state.has(key)) state.set(key, init());
        return state.get(key) as T;
      },
      unknown: (type: string, _device?: string) => {
        unknown.push(type);
      },
      zoneFor,
    };
    const msg = parseSyslog(line, { receivedAt: RECEIVED, transport: 'udp', source, zoneFor });
    const records = recognise(msg, ctx);
    for (const r of records) wellFormed(r, platform);
    if (offered && (records.length > 0 || unknown.length > 0)) expect((offered(msg)[0]! & 1) === 1, `${platform}.offer turns away ${line}`).toBe(true);
    return { records, unknown };
  };
}

/** What every record must be: this platform's, a real UTC time, and no empty or undefined field. */
export function wellFormed(r: AaaRecord, platform: string): void {
  expect(r.platform).toBe(platform);
  expect(new Date(r.time).toISOString()).toBe(r.time);
  for (const [k, v] of Object.entries(r)) {
    expect(v, `field ${k} of ${JSON.stringify(r)}`).not.toBeUndefined();
    expect(v, `field ${k} of ${JSON.stringify(r)}`).not.toBe('');
  }
}

/** Records match expectations: same count, each expected field equal, a field expected `undefined` absent. */
export function expectRecords(records: AaaRecord[], expected: Array<Record<string, unknown>>, where = ''): void {
  expect(records.length, `${where} ${JSON.stringify(records)}`).toBe(expected.length);
  expected.forEach((want, i) => {
    const got = records[i] as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) {
      if (v === undefined) expect(Object.hasOwn(got, k), `${where} record ${i} must not have ${k}`).toBe(false);
      else expect(got[k], `${where} record ${i} field ${k}`).toEqual(v);
    }
  });
}

/** The non-empty lines of a corpus file with their 1-based line numbers. */
export function corpusFileLines(file: string): Array<{ line: number; text: string }> {
  return readFileSync(corpusPath(file), 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.replace(/\r$/, '') }))
    .filter((l) => l.text.length > 0);
}

/**
 * Every non-empty line of `files` has exactly one case and yields what the case says. Lines run in
 * file order through one recogniser, as a device's lines would.
 */
export function checkCorpus(recognise: Recognise, platform: string, files: string[], cases: CorpusCase[]): void {
  // Every syslog file in the platform's corpus folder is covered (peer outputs `*.json(l)` are not syslog).
  const folder = corpusPath('syslog', platform);
  const present = existsSync(folder) ? readdirSync(folder).filter((f) => !/\.jsonl?$/.test(f)).map((f) => `syslog/${platform}/${f}`) : [];
  expect([...files].sort()).toEqual(present.sort());
  const byKey = new Map<string, CorpusCase>();
  for (const c of cases) {
    const key = `${c.file}:${c.line}`;
    expect(byKey.has(key), `duplicate case ${key}`).toBe(false);
    byKey.set(key, c);
  }
  const seen = new Set<string>();
  for (const file of files) {
    const run = recogniser(recognise, platform);
    for (const { line, text } of corpusFileLines(file)) {
      const key = `${file}:${line}`;
      const c = byKey.get(key);
      expect(c, `no case for ${key}`).toBeDefined();
      seen.add(key);
      const { records, unknown } = run(corpusInput(file, text));
      expect(unknown, key).toEqual([]);
      expectRecords(records, c!.expect, key);
    }
  }
  for (const key of byKey.keys()) expect(seen.has(key), `case ${key} names no corpus line`).toBe(true);
}
