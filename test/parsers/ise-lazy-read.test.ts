// The ISE reader reads a message's attributes only as far as `first` and `avPair` ask (ise17,
// 2026-12-06): every answer, in whatever order the questions come, must be what the message read
// whole answers, and the records built from it the same. Here over the profiles' ISE lines, the
// corpus's, and 40,000 random hostile messages: wanted names repeated, empty, absent, late, inside
// `CmdSet=[ … ]` and `Response={ … }`, `, ` and `=` inside values, AVPairs anywhere.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { avPair, commandOf, first, readIseMessage, type IseMessage, type Wanted } from '../../parsers/cisco-ise/fields.js';
import { iseRecords } from '../../parsers/cisco-ise/records.js';
import type { SyslogMessage } from '../../src/types.js';
import { writeProfile } from '../bench/profiles.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';
import { tempDir } from '../support/temp.js';

const NAMES: Wanted[] = [
  'NetworkDeviceName', 'NAS-Identifier', 'Device IP Address', 'NAS-IP-Address', 'User', 'UserName', 'User-Name', 'Remote-Address',
  'Calling-Station-ID', 'AcctRequest-Flags', 'CmdSet', 'Privilege-Level', 'Acct-Status-Type', 'Acct-Session-Id', 'Service-Type', 'Protocol',
];
const PAIRS = ['priv-lvl', 'task_id', 'timezone', 'start_time', 'service', '', 'x'];
const CATEGORIES = ['CISE_TACACS_Accounting', 'CISE_RADIUS_Accounting', 'CISE_Passed_Authentications', 'CISE_Failed_Attempts'];

/** The message read whole, as plain data: `first` and `avPair` read it without reading on. */
const whole = (text: string): IseMessage | undefined => {
  const m = readIseMessage(text);
  if (m === undefined) return undefined;
  // JSON writes an absent value as null: read back as absent.
  const data = JSON.parse(JSON.stringify(m)) as { values: Array<string | null> } & Omit<IseMessage, 'values'>;
  return { ...data, values: data.values.map((v) => v ?? undefined) };
};

function corpusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? corpusFiles(p) : [p];
  });
}

const iseBody = (line: string): string | undefined => /CISE_\w+ \d{1,12} \d{1,4} \d{1,4} (.*)$/s.exec(line)?.[1];
const header = '2020-02-21 19:13:08.328 +00:00 0018415781 3300 NOTICE Tacacs-Accounting: ';

/** Random messages of attributes, wanted and not, with the characters the reader decides on inside values. */
function hostile(seed: number, count: number): string[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const names = [...NAMES, 'AVPair', 'AVPair', 'Step', 'Model Name', 'Response', 'CPMSessionID', 'cisco-av-pair', 'Type', '9bad', 'a b'];
  const bits = [', ', ',', ' ', '=', '[', ' ]', ']', '{', '}', 'Cmd', 'CmdAV=', 'CmdArgAV=', 'x', 'Start', 'Stop', 'start', 'priv-lvl=', 'task_id=', '15', '\t', '\n', 'é', '\u0000', 'User=', ', User='];
  const value = (): string => Array.from({ length: Math.floor(r() * 6) }, () => pick(bits)).join('');
  return Array.from({ length: count }, () => {
    const attrs = Array.from({ length: 1 + Math.floor(r() * 30) }, () => {
      const name = pick(names);
      if (name === 'AVPair') return `AVPair=${pick(PAIRS)}=${value()}`;
      if (name === 'CmdSet' && r() < 0.7) return `CmdSet=[ CmdAV=${value()} CmdArgAV=${value()} ]`;
      if (name === 'Response' && r() < 0.7) return `Response={${value()}; }`;
      return `${name}=${value()}`;
    });
    return header + value() + ', ' + attrs.join(r() < 0.9 ? ', ' : ',');
  });
}

const generated = (['aaa-only', 'mixed-random'] as const).flatMap((profile) => {
  const file = join(tempDir(), `${profile}.log`);
  writeProfile(file, profile, 30_000, profile === 'aaa-only' ? 1 : 750_015_678, CORPUS);
  return readFileSync(file, 'utf8').split('\n');
});
const corpus = corpusFiles(CORPUS).flatMap((f) => readFileSync(f, 'latin1').split('\n')).filter((l) => l.length < 70_000);
const real = [...generated, ...corpus].map(iseBody).filter((t): t is string => t !== undefined);
const random = hostile(1717, 40_000);
const texts = [...real, ...random];

describe('the ISE reader reads on only as far as it is asked', () => {
  it('answers every question as the message read whole does, in any order', () => {
    const r = mulberry32(17);
    let answered = 0;
    for (const text of texts) {
      const want = whole(text);
      const got = readIseMessage(text);
      if (want === undefined || got === undefined) {
        expect(got).toBe(want);
        continue;
      }
      expect([got.stamp, got.code, got.description]).toEqual([want.stamp, want.code, want.description]);
      // A random sequence of questions, some asked twice.
      for (let q = 0; q < 12; q++) {
        const x = r();
        if (x < 0.6) {
          const name = NAMES[Math.floor(r() * NAMES.length)]!;
          if (first(got, name) !== first(want, name)) expect({ text, name, got: first(got, name) }).toEqual({ text, name, got: first(want, name) });
        } else if (x < 0.9) {
          const name = PAIRS[Math.floor(r() * PAIRS.length)]!;
          if (avPair(got, name) !== avPair(want, name)) expect({ text, name, got: avPair(got, name) }).toEqual({ text, name, got: avPair(want, name) });
        } else if (commandOf(got) !== commandOf(want)) expect({ text, got: commandOf(got) }).toEqual({ text, got: commandOf(want) });
        answered++;
      }
      // What was not read yet is read as before.
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
    }
    expect(answered).toBeGreaterThan(500_000);
  });

  it('makes the same records as the message read whole', () => {
    const msg = { hostname: 'ise-psn1', source: '192.0.2.7', receivedAt: 1_765_000_000_000, time: 1_765_000_000_000, timeQuality: 'exact' } as SyslogMessage;
    let records = 0;
    for (const text of [...real, ...random.slice(0, 10_000)]) {
      for (const category of CATEGORIES) {
        const want = whole(text);
        const got = readIseMessage(text);
        if (want === undefined) continue;
        const made = iseRecords(category, got!, msg);
        expect(made).toEqual(iseRecords(category, want, msg));
        records += made.length;
      }
    }
    expect(records).toBeGreaterThan(10_000);
  });
});
