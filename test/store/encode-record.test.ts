// encodeRecord writes a record's chain body by hand and skips the lone-surrogate repair when every
// value is well-formed (src/store/batch.ts): over every corpus line, the hostile strings, the bench
// profiles' lines and records holding lone surrogates, it must give what its first definition gave —
// JSON.stringify of the values in chain order, each string made well-formed, then the arrival.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { redactSecrets } from '../../parsers/lib/secrets.js';
import { readMessage } from '../../src/ingest/envelopes/index.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import { encodeRecord, type RawForm } from '../../src/store/batch.js';
import type { AaaRecord, SyslogMessage } from '../../src/types.js';
import { writeProfile } from '../bench/profiles.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';
import { tempDir } from '../support/temp.js';
import { CORPUS_RECEIVED_AT, corpusAndHostileTexts } from '../tools/corpus-cases.js';

/** The record line as first defined: the values as one JSON array, lone surrogates made U+FFFD, a tab, the arrival as one array. */
function reference(r: AaaRecord, raw: string, msg: SyslogMessage, form: RawForm): string {
  const account = r.kind === 'account';
  const session = r.kind === 'session';
  const parsed = Date.parse(r.time);
  const values = [
    r.kind, r.action, Number.isNaN(parsed) ? msg.time : parsed, r.device, r.platform, r.actor ?? null, r.actorAddress ?? null,
    account ? r.target : null, r.privilege ?? null, account ? (r.role ?? null) : null, account ? (r.group ?? null) : null, r.path ?? null,
    account ? (r.technique ?? null) : null, session ? null : (r.command ?? null), session ? (r.session ?? null) : null,
    !session && r.container ? JSON.stringify(r.container) : null, raw,
  ];
  const body = JSON.stringify(values.map((v) => (typeof v === 'string' ? v.toWellFormed() : v)));
  const arrival = [msg.receivedAt, msg.transport, msg.source ?? null, msg.timeText ?? null, form.escaped ? 1 : 0, form.truncated ? 1 : 0];
  return body + '\t' + JSON.stringify(arrival);
}

const recognise = createRecogniser(platforms);
const WHOLE: RawForm = { escaped: false, truncated: false };

/** Each line read as the reader reads it; every record it yields encoded both ways. Returns how many records were compared. */
function compare(texts: Array<{ where: string; text: string }>): number {
  let n = 0;
  for (const { where, text } of texts) {
    const msg = readMessage(text, { receivedAt: CORPUS_RECEIVED_AT, transport: 'tcp', source: '192.0.2.1' });
    const raw = redactSecrets(text);
    for (const r of recognise(msg).records) {
      for (const form of [WHOLE, { escaped: true, truncated: true }]) expect(encodeRecord(r, raw, msg, form), where).toBe(reference(r, raw, msg, form));
      n++;
    }
  }
  return n;
}

describe('encodeRecord against its first definition', () => {
  it('gives the same line for every record of the corpus and the hostile strings', () => {
    expect(compare(corpusAndHostileTexts())).toBeGreaterThan(300);
  });

  it('gives the same line for every record of the bench profiles', () => {
    for (const [profile, seed] of [['aaa-only', 1], ['mixed-random', 750015678]] as const) {
      const file = join(tempDir(), `${profile}.log`);
      writeProfile(file, profile, 5_000, seed, CORPUS);
      const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
      expect(compare(lines.map((text, i) => ({ where: `${profile}:${i + 1}`, text })))).toBeGreaterThan(2_000);
    }
  });

  it('gives the same line record after record of every kind, the values of each place repeated, escaped, missing or new (what is remembered between records)', () => {
    const r = mulberry32(20261207);
    const msg = readMessage('<86>Dec  4 22:10:01 h1 useradd[1]: new user: name=x', { receivedAt: CORPUS_RECEIVED_AT, transport: 'tcp', source: '192.0.2.1' });
    // A few values per place, so a record often repeats the last one's: plain, escaped, a lone
    // surrogate, empty, long, the same text as a string of its own.
    const choices = ['account', 'command', 'session', 'login', 'admin', 'a"b', 'tab\there', '\ud800', '', 'x'.repeat(70), 'ünï', 'account.create'];
    const fresh = (v: string): string => (r() < 0.5 ? v : Buffer.from(v, 'utf16le').toString('utf16le'));
    const pick = (): string => fresh(choices[Math.floor(r() * choices.length)]!);
    const maybe = (): string | undefined => (r() < 0.3 ? undefined : pick());
    const times = ['2026-12-04T22:10:01.000Z', '2026-12-04T22:10:01.999Z', 'not a time', '1970-01-01T00:00:00.000Z'];
    const forms: RawForm[] = [WHOLE, { escaped: true, truncated: false }, { escaped: false, truncated: true }, { escaped: true, truncated: true }];
    for (let n = 0; n < 20_000; n++) {
      const kind = r() < 0.8 ? (['account', 'command', 'session'] as const)[Math.floor(r() * 3)]! : pick();
      const rec = {
        kind, action: pick(), time: times[Math.floor(r() * times.length)]!, device: pick(), platform: pick(), actor: maybe(), actorAddress: maybe(),
        target: pick(), privilege: maybe(), role: maybe(), group: maybe(), path: maybe(), technique: maybe(), command: maybe(), session: maybe(),
        container: r() < 0.3 ? { name: pick() } : undefined,
      } as unknown as AaaRecord;
      const form = forms[Math.floor(r() * forms.length)]!;
      const raw = r() < 0.5 ? pick() : `<86>${pick()} ${pick()}`;
      expect(encodeRecord(rec, raw, msg, form), String(n)).toBe(reference(rec, raw, msg, form));
    }
  });

  it('repairs lone surrogates in any value, and leaves paired ones, escapes and text that only looks like an escape as they are', () => {
    const msg = readMessage('<86>Dec  4 22:10:01 h1 useradd[1]: new user: name=x', { receivedAt: CORPUS_RECEIVED_AT, transport: 'tcp', source: '192.0.2.1' });
    const odd = ['lone \ud800', '\udc00x', '\ud83d\ude00 pair', 'quote " and \\ back', '\\ud800 as text', 'tab\tnew\nline', 'plain', 'Zürich €', 'x'.repeat(70) + '\ud800'];
    for (const [k, s] of odd.entries()) {
      const r: AaaRecord = {
        kind: 'account', action: 'account.create', time: k % 2 ? 'not a time' : '2026-12-04T22:10:01.000Z', device: s, platform: 'linux', actor: s, actorAddress: s,
        target: s, privilege: s, role: s, group: s, path: 'cli', technique: 'T1136.001', command: s, container: { id: s },
      };
      for (const raw of [s, `<86>raw ${s}`, 'clean raw']) expect(encodeRecord(r, raw, msg, WHOLE), JSON.stringify(s)).toBe(reference(r, raw, msg, WHOLE));
    }
  });

  it('repairs a lone surrogate in one value of an otherwise clean record, and not in the record after it; quotes a stamp text as JSON does', () => {
    const base = readMessage('<86>Dec  4 22:10:01 h1 useradd[1]: new user: name=x', { receivedAt: CORPUS_RECEIVED_AT, transport: 'tcp', source: '192.0.2.1' });
    const clean: AaaRecord = {
      kind: 'account', action: 'account.create', time: '2026-12-04T22:10:01.000Z', device: 'h1', platform: 'linux', actor: 'root', target: 'bob', path: 'cli',
      command: 'useradd bob',
    };
    const fields = ['device', 'actor', 'actorAddress', 'target', 'privilege', 'role', 'group', 'command', 'technique'] as const;
    for (const timeText of [undefined, 'Dec  4 22:10:01', 'a "quoted" \\ stamp', 'lone \ud800 stamp', '\udc00']) {
      const msg: SyslogMessage = { ...base, timeText };
      for (const f of fields) {
        const odd: AaaRecord = { ...clean, [f]: `x\ud800${f}` };
        for (const r of [odd, clean]) expect(encodeRecord(r, 'raw', msg, WHOLE), `${f} ${JSON.stringify(timeText)}`).toBe(reference(r, 'raw', msg, WHOLE));
      }
      for (const raw of ['raw \ud800', 'x'.repeat(70) + '\udfff', 'clean']) expect(encodeRecord(clean, raw, msg, WHOLE)).toBe(reference(clean, raw, msg, WHOLE));
    }
  });
});
