// `tsx test/tools/header-equivalence.ts [REF]`: the header parser of this tree against the one at
// git REF (default `main`), over every corpus line, the benchmarks' traffic (bench:parse's file, the
// aaa-only and mixed-random profiles), the string literals of the tests, and 200,000 generated and
// mutated headers; every field of every parsed message, its resolved time under several receive
// times and zones, and what the envelope layer makes of it, must be identical. Exits non-zero on
// the first differences (up to 20 listed). Made for changes meant to leave output alone (speed work).

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HeaderContext } from '../../src/ingest/header.js';
import type { SyslogMessage } from '../../src/types.js';
import { writeProfile } from '../bench/profiles.js';
import { writeTrafficFile } from '../bench/traffic.js';
import { CORPUS, REPO } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';
import { tempDir } from '../support/temp.js';

type Read = (text: string, ctx: HeaderContext) => SyslogMessage;
interface Side {
  parse: Read;
  read: Read;
}

const ref = process.argv[2] ?? 'main';
const GENERATED = Number(process.env.HEADER_EQ_GENERATED ?? 100_000);
const MUTATED = Number(process.env.HEADER_EQ_MUTATED ?? 100_000);

async function load(root: string): Promise<Side> {
  const header = (await import(pathToFileURL(join(root, 'src/ingest/header.ts')).href)) as { parseSyslog: Read };
  const env = (await import(pathToFileURL(join(root, 'src/ingest/envelopes/index.ts')).href)) as { readMessage: Read };
  return { parse: header.parseSyslog, read: env.readMessage };
}

/** The tree at `ref`, unpacked beside a link to this tree's node_modules. */
function checkout(dir: string): string {
  const root = join(dir, 'old');
  mkdirSync(root);
  const tar = execFileSync('git', ['-C', REPO, 'archive', ref, 'src', 'parsers', 'package.json'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', root], { input: tar });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return root;
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, keep));
    else if (keep(name)) out.push(p);
  }
  return out;
}

const linesOf = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);

/** Quoted and backquoted literals without substitutions in the tests, that look like a syslog line. */
function testLiterals(): string[] {
  const out: string[] = [];
  const files = [...filesUnder(join(REPO, 'test'), (n) => n.endsWith('.ts')), ...filesUnder(join(REPO, 'parsers'), (n) => n.endsWith('.test.ts'))];
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/'((?:<\d|[A-Z][a-z]{2} |\d{4}-)[^'\\\n]{8,})'|`((?:<\d|[A-Z][a-z]{2} |\d{4}-)[^`$\\]{8,})`/g)) {
      out.push((m[1] ?? m[2])!);
    }
  }
  return out;
}

// Pieces headers are made of: mostly the forms the scanner reads, now and then one it must not.
const PRI = ['', '<189>', '<13>', '<0>', '<191>', '<14>1 ', '<165>1 '];
const BAD_PRI = ['<192>', '<01>', '<1', '<>', '<1890>', '<14>2 ', '<14>10 ', '<14>1', '\uFEFF<13>', '\uFEFF'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BAD_MON = ['Foo', 'jan', 'JAN', 'Ja', 'Dec.'];
const ZONES = ['', '', '', ' UTC', ' CET', ' CEST', ' PST', ' NZDT', ' UTC+2', ' GMT-5', ' +01:00', ' -0530', ' UTC+14:00', ' Z', ' EEST'];
const BAD_ZONES = [' +15', ' XYZ', ' XYZ:', ' utc', ' ABCDEFGHIJ', ' +', ' DST', ' UTC+15', ' 12', ' U-T-C'];
const HOSTS = ['r1', 'sw-core.example.net', '10.1.2.3', 'fe80::1', '2001:db8::7', 'HUAWEI', 'host_1', 'a', 'BRMJ00', 'Router-A.lab', 'FGT60F'];
const BAD_HOSTS = ['x'.repeat(256), 'h[1]', 'RP/0/RSP0/CPU0:', '0/RP0/CPU0:', '-', 'fw1 :', 'sw1:', '', 'a=b', 'h"q', 'h%1', 'fe80::1x', '::'];
const TAGS = ['%SYS-5-CONFIG_I:', '%ASA-6-302013:', '%ASA-auth-4-113004:', '%MGBL-CONFIG-6-DB_COMMIT :', '%%01SHELL/5/CMDRECORD(s)[0]:', '%PARSER-5-CFGLOG_LOGGEDCMD:', '%X-1:', '%INTERACT-6-UI_COMMIT:', '%A-B-C', '%A-B-C :x'];
const PROGRAMS = ['sshd[123]:', 'CRON[2000]:', 'mgd[53913]:', 'prog:', 'useradd[1]:', 'Aaa: 101: %AAA-5-LOGIN:', 'config[66021]: %MGBL-CONFIG-6-DB_COMMIT :', 'x[]:', 'p[123456789012345678901234567890123]:', 'tac_plus:', 'tac_plus-ng[7]:', 'a/b(c):', 'p:x', 'p[1:', 'p[1]x:'];
const BODIES = ['', 'x', ' hello world', 'UI_CMDLINE_READ_LINE: User \'a\', command \'show\'', '{"a":1}', '\uFEFFbody', 'date=2026-11-21 time=22:10:01', 'User:admin logged command:x', ' 12: %SYS-5-X: y'];

/** Usually one of `good`, now and then one of `bad`. */
function choose<T>(r: () => number, good: readonly T[], bad: readonly T[]): T {
  return r() < 0.12 ? pick(r, bad) : pick(r, good);
}

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}
const n2 = (r: () => number, max: number): string => String(Math.floor(r() * max)).padStart(2, '0');

function clock(r: () => number): string {
  const frac = choose(r, ['', '', '.123', '.5', '.123456', '.000'], ['.', '.x', '.1234567', ':', '.12a']);
  return r() < 0.05 ? `${n2(r, 30)}:${n2(r, 70)}:${n2(r, 70)}${frac}` : `${n2(r, 24)}:${n2(r, 60)}:${n2(r, 61)}${frac}`;
}

function stamp(r: () => number): string {
  const mon = choose(r, MON, BAD_MON);
  const day = choose(r, ['1', ' 1', '01', '21', '31', '9', '29', '30'], ['32', '0', '00', '1x']);
  const year = choose(r, ['2026', '2027', '2025', '2020'], ['1969', '2199', '2200', '0026', '20261']);
  const marker = pick(r, ['', '', '', '*', '.']);
  switch (Math.floor(r() * 10)) {
    case 0: return `${marker}${mon} ${day} ${clock(r)}`;
    case 1: return `${marker}${mon} ${day} ${year} ${clock(r)}`;
    case 2: return `${marker}${mon} ${day} ${clock(r)} ${year}`;
    case 3: return `${marker}${year} ${mon} ${day} ${clock(r)}`;
    case 4: return `${year}-${n2(r, 13)}-${n2(r, 32)}${choose(r, ['T'], ['t', ' '])}${clock(r)}${choose(r, ['', 'Z', '+01:00', '-05:30', '+0100'], ['z', '+15:00', '+01:60', '-', '+1'])}`;
    case 5: return pick(r, ['2w3d', '1d02h', '00:01:23', '1y2w', '3d', '12w']);
    case 6: return `${mon} ${day} ${year} ${clock(r)}${pick(r, ['+07:00', '-03:00', ' DST', ''])}`;
    case 7: return `${year}-${n2(r, 13)}-${n2(r, 32)} ${clock(r)}`;
    default: return `${mon} ${day} ${clock(r)}`;
  }
}

export function generated(r: () => number): string {
  const pri = choose(r, PRI, BAD_PRI);
  if (pri.endsWith(' ') && r() < 0.8) {
    const f = (): string => (r() < 0.3 ? '-' : choose(r, ['mx1', 'mgd', '4242', 'UI_CMDLINE_READ_LINE', 'sshd'], ['x'.repeat(300), 'a"b', '']));
    const sd = choose(r, ['-', '[junos@2636.1.1.1.2.29 username="a" command="show"]', '[a b="c\\"d"][e f="g"]', '[a@1 b="]"]'], ['[bad', '[x y=z]', '[a b="c"]x', '', '[a b="c\\"]', '[ a="b"]']);
    const ts = r() < 0.2 ? '-' : stamp(r);
    return `${pri}${ts} ${f()} ${f()} ${f()} ${f()} ${sd}${pick(r, ['', ' ', ' msg', ' \uFEFFmsg', 'x'])}`;
  }
  const parts: string[] = [pri];
  const seqs = r() < 0.6 ? 0 : Math.floor(r() * 3);
  for (let k = 0; k < seqs; k++) parts.push(`${Math.floor(r() * 100000)}: `);
  if (r() < 0.15) parts.push(`${choose(r, HOSTS, BAD_HOSTS)}: `);
  if (r() < 0.9) parts.push(stamp(r) + choose(r, ZONES, BAD_ZONES) + pick(r, ['', '', '', ':', ' :']) + choose(r, [' ', ' '], ['  ', '\t', '']));
  if (r() < 0.75) parts.push(choose(r, HOSTS, BAD_HOSTS) + choose(r, [' ', ' ', ' : ', ': '], ['', '\t', '  ']));
  if (r() < 0.08) parts.push(stamp(r) + pick(r, [': ', ' ']));
  parts.push(r() < 0.5 ? pick(r, TAGS) : pick(r, PROGRAMS));
  parts.push(pick(r, BODIES));
  parts.push(pick(r, ['', '', '', '', '\n', '\r\n', '\u0000', '\u0000\u0000\n']));
  return parts.join('');
}

const INSERTS = ['<', '>', ':', ': ', ' ', '  ', '\t', '[', ']', '"', '%', '*', '.', '-', '+', 'T', 'Z', '/', '\u0000', '\uFEFF', '\r', '\n', '0', '1', '9', '12', '2026', 'Nov ', ' UTC', '\u00e9', '\uD83D\uDE00'];

export function mutated(line: string, r: () => number): string {
  let s = line;
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    // Mostly within the header, where the scanner looks.
    const at = Math.floor(r() * Math.min(s.length + 1, r() < 0.8 ? 64 : s.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0: s = s.slice(0, at) + s.slice(at + 1); break;
      case 1: s = s.slice(0, at) + pick(r, INSERTS) + s.slice(at); break;
      case 2: s = s.slice(0, at) + pick(r, INSERTS) + s.slice(at + 1); break;
      case 3: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 8)); break;
      default: {
        const c = s.charCodeAt(at);
        if (c >= 48 && c <= 57) s = s.slice(0, at) + String.fromCharCode(48 + Math.floor(r() * 10)) + s.slice(at + 1);
      }
    }
  }
  return s;
}

// Receive times and zones the stamp is resolved under: mid-year, either side of a new year, with
// and without device zones (one of them with a DST change near the stamps of the generated lines).
const T = (iso: string): number => Date.parse(iso);
const zoneBy = (hostname: string | undefined, source: string | undefined): string | undefined =>
  hostname === undefined ? (source === '192.0.2.9' ? 'Asia/Kolkata' : undefined) : hostname.length % 3 === 0 ? 'Europe/Berlin' : hostname.length % 3 === 1 ? 'America/New_York' : undefined;
const CONTEXTS: HeaderContext[] = [
  { receivedAt: T('2026-11-21T23:00:00Z'), transport: 'udp', source: '192.0.2.10' },
  { receivedAt: T('2027-01-02T00:30:00Z'), transport: 'tcp', source: '192.0.2.9', zoneFor: zoneBy },
  { receivedAt: T('2026-12-31T23:59:59.999Z'), transport: 'tls', zoneFor: zoneBy, latin1: true },
  { receivedAt: T('2026-03-29T01:30:00Z'), transport: 'udp', source: '192.0.2.9', zoneFor: zoneBy },
];

function view(m: SyslogMessage): unknown[] {
  return [
    m.format, m.malformed, m.pri, m.facility, m.severity, m.timeText, m.clockMarker, m.hostname, m.appName,
    m.procId, m.msgId, m.sequence, m.tag, m.message, m.envelope, m.source, m.transport, m.latin1, m.receivedAt,
    m.time, m.timeQuality, (m as { hasStamp?: () => boolean }).hasStamp?.(), m.raw, JSON.stringify(m.sd ?? null),
  ];
}

const NAMES = ['format', 'malformed', 'pri', 'facility', 'severity', 'timeText', 'clockMarker', 'hostname', 'appName', 'procId', 'msgId', 'sequence', 'tag', 'message', 'envelope', 'source', 'transport', 'latin1', 'receivedAt', 'time', 'timeQuality', 'hasStamp', 'raw', 'sd'];

function outcome(f: Read, line: string, ctx: HeaderContext): unknown[] {
  try {
    return view(f(line, ctx));
  } catch (e) {
    return ['threw', String(e)];
  }
}

async function main(): Promise<void> {
  const dir = tempDir('aaawatch-header-eq-');
  const old = await load(checkout(dir));
  const now = await load(REPO);
  const sources: Array<[string, string[]]> = [];
  sources.push(['corpus', filesUnder(CORPUS, (n) => !n.endsWith('.md')).flatMap(linesOf)]);
  const traffic = join(dir, 'traffic.log');
  writeTrafficFile(traffic, 500_000, CORPUS);
  sources.push(['bench:parse traffic', linesOf(traffic)]);
  writeProfile(traffic, 'aaa-only', 200_000, 1, CORPUS);
  sources.push(['aaa-only (seed 1)', linesOf(traffic)]);
  writeProfile(traffic, 'mixed-random', 200_000, 750015678, CORPUS);
  sources.push(['mixed-random (seed 750015678)', linesOf(traffic)]);
  sources.push(['test literals', testLiterals()]);
  const r = mulberry32(20261203);
  sources.push(['generated headers', Array.from({ length: GENERATED }, () => generated(r))]);
  const seeds = sources.flatMap(([, ls]) => ls).filter((_, k) => k % 7 === 0);
  sources.push(['mutated lines', Array.from({ length: MUTATED }, () => mutated(pick(r, seeds), r))]);
  rmSync(dir, { recursive: true, force: true });

  let differences = 0;
  let compared = 0;
  for (const [name, lines] of sources) {
    let here = 0;
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!;
      // Every line under the first context; a spread of them under the others (resolving zones is slow).
      const contexts = k % 5 === 0 || name === 'corpus' || name === 'generated headers' ? CONTEXTS : CONTEXTS.slice(0, 1);
      for (const ctx of contexts) {
        for (const f of ['parse', 'read'] as const) {
          const a = outcome(old[f], line, ctx);
          const b = outcome(now[f], line, ctx);
          compared++;
          const at = a.findIndex((v, i) => !Object.is(v, b[i]));
          if (at < 0 && a.length === b.length) continue;
          here++;
          if (++differences <= 20) console.log(`${name} #${k} ${f} ${NAMES[at] ?? at}: ${JSON.stringify(a[at])} → ${JSON.stringify(b[at])}\n  ${JSON.stringify(line)}`);
        }
      }
    }
    console.log(`${name}: ${lines.length} lines, ${here} differences`);
  }
  console.log(`${compared} comparisons against ${ref}: ${differences} differences`);
  process.exitCode = differences === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith("header-equivalence.ts")) await main();
