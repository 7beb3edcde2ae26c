// Every recorded SSH session in the corpus, replayed by the emulator and pulled by aaawatch:
// the configuration matches what the peer (Oxidized) stored, in substance (test/pull/substance.ts
// says exactly what that means); no secret the peer's test lists survives redaction, and the
// lines the peer keeps after its own redaction are kept by ours too; the accounts read are the
// configuration's.

import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { attemptPull } from '../../src/pull/attempt.js';
import { digest } from '../../src/pull/digest.js';
import { corpusPath } from '../support/corpus.js';
import { startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { RECORDINGS } from '../support/emulator/recordings.js';
import { allCorpusTranscripts, corpusTranscripts, emulatedTarget } from '../support/emulator/targets.js';
import { loadTranscript } from '../support/emulator/transcript.js';
import { substanceMismatch } from './substance.js';

const LIMITS = { maxBytes: 16 << 20, maxLineLength: 65536, settleMs: 25 };

/**
 * Oxidized's markers for a removed secret, as aaawatch writes it: aaawatch replaces only the value,
 * so quotes around it stay (Oxidized's Junos model removes them with the value).
 */
function ours(pattern: string): RegExp {
  return new RegExp(pattern.replace(/<secret hidden>|<secret removed>|<configuration removed>/g, '(?:<redacted>|"<redacted>")'), 'm');
}

const emulators: RunningEmulator[] = [];
afterAll(async () => {
  for (const e of emulators) await e.close();
});

describe('every recorded session in the corpus', () => {
  const files = corpusTranscripts();

  const name = (f: string): string => f.replace(/#(?:custom_)?simulation\.yaml$/, '');

  it('covers every recording of a model a platform claims, each with its accounts stated', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
    const stated = [...RECORDINGS.values()].flatMap((r) => Object.keys(r.accounts).filter((id) => id.split('#')[0] === r.model));
    expect(files.map(name).sort()).toEqual(stated.sort());
  });

  it('reads the recordings no platform claims yet, so the emulator can replay them', () => {
    const pending = allCorpusTranscripts().filter((f) => !files.includes(f));
    for (const f of pending) {
      const t = loadTranscript(corpusPath('ssh-sessions', f));
      // A logout (`quit`, `exit`) may be recorded with no answer; the commands before it have one.
      expect(t.exchanges.filter((e) => e.response.length > 0).length, f).toBeGreaterThan(0);
    }
  });

  for (const file of files) {
    const id = name(file);
    it(`${id}: pulled, matches the peer in substance, redacted, accounts read`, async () => {
      const transcript = loadTranscript(corpusPath('ssh-sessions', file));
      const recordings = RECORDINGS.get(transcript.model)!;
      const emu = await startEmulator({ transcript, extra: recordings.extra ?? [] });
      emulators.push(emu);
      const target = emulatedTarget(emu.port, recordings.platform);
      const pulled = await attemptPull(target, { trusted: [], revoked: [] }, LIMITS);

      // Substance: the configuration command's part only (what the platform sends beyond it is its own addition).
      const outputFile = corpusPath('ssh-sessions', file.replace(/simulation\.yaml$/, 'output.txt'));
      const configPart = recordings.configPart ? recordings.configPart(pulled.raw) : pulled.raw;
      // Oxidized's custom simulations (`#custom_simulation.yaml`) come with no stored output: its
      // spec checks them inline. There the pull must still succeed; accounts and secrets are checked below.
      if (existsSync(outputFile)) expect(substanceMismatch(configPart, readFileSync(outputFile, 'utf8'), transcript.model)).toBeUndefined();
      else expect(file).toMatch(/#custom_simulation\.yaml$/);

      // Only the profile's commands reached the device: nothing that could change it.
      const profile = target.platform.ssh;
      const allowed = new Set([...profile.setup, ...profile.configCommands.flat(), 'enable', '<enable secret>', 'exit']);
      for (const sent of emu.received) expect(allowed).toContain(sent);

      const d = digest(target.platform, pulled.raw);
      const secretFile = corpusPath('ssh-sessions', `${id}#secret.yaml`);
      const listed = existsSync(secretFile) ? (parse(readFileSync(secretFile, 'utf8')) as { fail?: string[]; pass?: string[] }) : {};
      for (const secret of [...(listed.fail ?? []), ...(recordings.secrets?.[id] ?? [])]) expect(d.redacted).not.toContain(secret);
      for (const kept of listed.pass ?? []) expect(d.redacted).toMatch(ours(kept));
      for (const a of d.accounts) for (const line of a.lines) for (const secret of listed.fail ?? []) expect(line).not.toContain(secret);

      expect(d.accounts.map(({ name, roles, credentials, privilege }) => ({ name, roles, credentials, ...(privilege ? { privilege } : {}) }))).toEqual(recordings.accounts[id]);
    });
  }
});
