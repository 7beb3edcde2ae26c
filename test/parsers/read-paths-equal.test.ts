// The reading thread's rewritten scanners against the expressions they replaced (issue 14): each
// must return what the expression returned on every line of the corpus, on the lines both
// bench:ingest profiles generate (aaa-only seed 1, mixed-random seed 750015678), and on random
// text built from the characters the scanners decide on. The old forms are kept here, as the oracle.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, readIseMessage, type IseMessage } from '../../parsers/cisco-ise/fields.js';
import { junosWords } from '../../parsers/lib/account-command.js';
import { writeProfile } from '../bench/profiles.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';
import { tempDir } from '../support/temp.js';

// ---- the old forms (603ab5b) ----

function oldJunosWords(command: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(command); m !== null; m = re.exec(command)) out.push(m[1] ?? m[2]!);
  return out;
}

const OLD_BOUNDARY = /, (?=[A-Za-z][A-Za-z0-9:_ .#-]{0,63}=)/g;
function oldNextBoundary(text: string, from: number): number {
  OLD_BOUNDARY.lastIndex = from;
  return OLD_BOUNDARY.test(text) ? OLD_BOUNDARY.lastIndex - 2 : text.length;
}

const OLD_HEADER = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})? ?[+-]\d{2}:?\d{2}) \d+ (\d{3,6}) [A-Z]+ [\w-]{1,64}: /;
// The names fields.ts keeps, in its order (the administrative audit's since probe-cloud): the
// list is what is read, not how, so it follows fields.ts.
const WANTED = [
  'NetworkDeviceName', 'NAS-Identifier', 'Device IP Address', 'NAS-IP-Address', 'User', 'UserName', 'User-Name', 'Remote-Address',
  'Calling-Station-ID', 'AcctRequest-Flags', 'CmdSet', 'Privilege-Level', 'Acct-Status-Type', 'Acct-Session-Id', 'Service-Type',
  'Protocol', 'AdminName', 'AdminIPAddress', 'AdminInterface', 'ObjectType', 'ObjectName', 'FailureFlag', 'OperationMessageText',
  'AVPair',
];

function oldReadIseMessage(text: string): IseMessage | undefined {
  const h = OLD_HEADER.exec(text);
  if (!h) return undefined;
  const values = new Array<string | undefined>(WANTED.length).fill(undefined);
  const avPairs: string[] = [];
  let i = h[0].length;
  let end = oldNextBoundary(text, i);
  const description = text.slice(i, end).trim();
  let count = 0;
  while (end < text.length && count < 512) {
    i = end + 2;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const v = eq + 1;
    const open = text.charCodeAt(v);
    const close = open === 91 ? text.indexOf(' ]', v) : open === 123 ? text.indexOf('}', v) : -1;
    let stop: number;
    if (close >= 0) {
      stop = close + (open === 91 ? 2 : 1);
      end = oldNextBoundary(text, stop);
    } else stop = end = oldNextBoundary(text, v);
    count++;
    const k = WANTED.indexOf(text.slice(i, eq));
    if (k === WANTED.length - 1) avPairs.push(text.slice(v, stop).trim());
    else if (k >= 0 && values[k] === undefined) values[k] = text.slice(v, stop).trim();
  }
  return { stamp: h[1]!, code: h[2]!, description, values, avPairs };
}

function oldCommandOf(m: IseMessage): string | undefined {
  const set = m.values[WANTED.indexOf('CmdSet')];
  if (!set || !set.startsWith('[')) return undefined;
  const inner = set.slice(1, set.endsWith(']') ? -1 : undefined);
  const parts: string[] = [];
  for (const piece of inner.split(/\s(?=Cmd(?:Arg)?AV=)/)) {
    const p = piece.trim();
    if (p.startsWith('CmdAV=')) parts.push(p.slice(6));
    else if (p.startsWith('CmdArgAV=')) parts.push(p.slice(9));
  }
  const cmd = parts.join(' ').trim();
  return cmd.length > 0 ? cmd : undefined;
}

// ---- the inputs ----

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? corpusFiles(p) : [p];
  });
}

const corpus = corpusFiles(CORPUS).flatMap((f) => readFileSync(f, 'latin1').split('\n')).filter((l) => l.length > 0 && l.length < 70_000);
const generated = (['aaa-only', 'mixed-random'] as const).flatMap((profile) => {
  const file = join(tempDir(), `${profile}.log`);
  writeProfile(file, profile, 30_000, profile === 'aaa-only' ? 1 : 750_015_678, CORPUS);
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
});
const lines = [...corpus, ...generated];

/** Random text over the characters and words the scanners decide on. */
function fuzz(seed: number, count: number): string[] {
  const r = mulberry32(seed);
  const atoms = [
    ', ', ',', ' ', '=', '"', '\\', '[', ' ]', ']', '{', '}', 'Cmd', 'CmdAV=', 'CmdArgAV=', 'AV=', 'User', 'AVPair', 'CmdSet', 'x', 'Name', '9', '-', '.',
    '#', ':', '_', '\t', '\n', '\r', '\u2028', '\u00a0', '\ufeff', '\u3000', 'é', '\u0000', 'a'.repeat(70), 'Device IP Address',
  ];
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(r() * 40) }, () => atoms[Math.floor(r() * atoms.length)]!).join(''));
}

/** An ISE message text for `rest`: the header ISE writes, then `rest` as its description and attributes. */
const iseText = (rest: string): string => `2020-02-21 19:13:08.328 +00:00 0018415781 3300 NOTICE Tacacs-Accounting: ${rest}`;

/** The message text after the segment header, as the ISE module hands it over. */
const iseBody = (line: string): string | undefined => /CISE_\w+ \d{1,12} \d{1,4} \d{1,4} (.*)$/s.exec(line)?.[1];

describe('rewritten read paths return what the old expressions returned', () => {
  it('has lines of every kind to compare', () => {
    expect(corpus.length).toBeGreaterThan(5_000);
    expect(generated.filter((l) => l.includes('CISE_')).length).toBeGreaterThan(5_000);
    expect(generated.filter((l) => l.includes('UI_CMDLINE_READ_LINE')).length).toBeGreaterThan(5_000);
  });

  it('junosWords: every line, every command text, random text', () => {
    const commands = lines.flatMap((l) => [...l.matchAll(/command[=:]? ?["']([^]*?)["']/g)].map((m) => m[1]!));
    let n = 0;
    for (const text of [...lines, ...commands, ...fuzz(14, 50_000)]) {
      const got = junosWords(text);
      const want = oldJunosWords(text);
      if (got.length !== want.length || got.some((w, k) => w !== want[k])) expect({ text, got }).toEqual({ text, got: want });
      n++;
    }
    expect(n).toBeGreaterThan(100_000);
  });

  it('readIseMessage and commandOf: ISE lines, every line as attributes, random attributes', () => {
    const texts = [
      ...lines.map(iseBody).filter((t): t is string => t !== undefined),
      ...lines.map(iseText),
      ...fuzz(1414, 50_000).map(iseText),
      ...fuzz(141414, 20_000).map((f) => iseText(`d, CmdSet=[${f} ], User=u`)),
    ];
    let commands = 0;
    for (const text of texts) {
      const got = readIseMessage(text);
      const want = oldReadIseMessage(text);
      if (JSON.stringify(got) !== JSON.stringify(want)) expect({ text, got }).toEqual({ text, got: want });
      if (want === undefined) continue;
      const command = oldCommandOf(want);
      if (commandOf(want) !== command) expect({ text, got: commandOf(want) }).toEqual({ text, got: command });
      if (command !== undefined) commands++;
    }
    expect(commands).toBeGreaterThan(10_000);
  });
});
