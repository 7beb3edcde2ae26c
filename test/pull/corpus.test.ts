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
import { allCorpusTranscripts, corpusTranscripts, emulatedTarget, MODEL_PENDING, MODEL_PLATFORM, ROUTEROS_USERS } from '../support/emulator/targets.js';
import { loadTranscript } from '../support/emulator/transcript.js';
import { substanceMismatch } from './substance.js';

const LIMITS = { maxBytes: 16 << 20, maxLineLength: 65536, settleMs: 25 };

/** Accounts each recorded configuration holds, read by eye from the recording. */
const ACCOUNTS: Record<string, Array<{ name: string; roles: string[]; credentials: string[]; privilege?: string }>> = {
  'asa#5512_9.12-4-67_single-context': [{ name: 'oxidized', roles: [], credentials: ['password'] }],
  'eos#DCS-7050SX3-48YC8_4.29.2F': [],
  'fortigate#FortiGate-3001F_7.4.8_HA': [],
  'fortigate#FortiGate-501E_vdomHAdown': [],
  'fortigate#FortiGate-91G_7.4.7': [{ name: 'oxidized', roles: ['super_admin'], credentials: ['password'] }],
  'fortigate#FortiGate-91G_7.4.7_autoupdate': [],
  'ios#C9200L-24P-4G_17.09.04a': [
    { name: 'oxidized', roles: [], credentials: ['secret'] },
    { name: 'rocks', roles: [], credentials: ['secret'] },
  ],
  'ios#asr920_16.8.1b': [{ name: 'root', roles: [], credentials: ['secret'] }],
  // The root account (root-authentication) and `user oxidized`; `syslog { user * }` is not one.
  'junos#srx300_22.4': [
    { name: 'root', roles: [], credentials: ['password'] },
    { name: 'oxidized', roles: ['super-user'], credentials: ['password'] },
  ],
  'nxos#C93180YC-FX3J_10.4.5': [],
  'nxos#dummy_no_show_inventory_all': [],
  // From ROUTEROS_USERS (the export never lists /user).
  'routeros#CHR_7.10.1': ROUTEROS_EXPECTED(),
  'routeros#CHR_7.16': ROUTEROS_EXPECTED(),
  'routeros#L009UiGS_7.15.2': ROUTEROS_EXPECTED(),
};

function ROUTEROS_EXPECTED(): Array<{ name: string; roles: string[]; credentials: string[] }> {
  return [
    { name: 'admin', roles: ['full'], credentials: [] },
    { name: 'oxidized', roles: ['read'], credentials: [] },
    { name: 'olduser', roles: ['write'], credentials: [] },
  ];
}

/** Secrets in recordings that come without a #secret.yaml, found by reading them. */
const OWN_SECRETS: Record<string, string[]> = {
  'ios#asr920_16.8.1b': ['ABCDEFGH1234', 'secret 5 password'],
  'routeros#L009UiGS_7.15.2': ['password=password', 'name=community', 'trap-community=community'],
  'junos#srx300_22.4': ['very-secret-encrypted-password'],
};

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

  it('covers every recording and every platform that has one', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
    expect(files.map((f) => f.replace(/#(?:custom_)?simulation\.yaml$/, '')).sort()).toEqual(Object.keys(ACCOUNTS).sort());
    // The rest are recordings of platforms still to be written, each of a model named as pending.
    const rest = allCorpusTranscripts().filter((f) => !files.includes(f));
    expect(rest.filter((f) => !Object.hasOwn(MODEL_PENDING, f.split('#')[0]!))).toEqual([]);
  });

  it('reads the recordings of platforms still to be written, so the emulator can replay them', () => {
    const pending = allCorpusTranscripts().filter((f) => !files.includes(f));
    expect(new Set(pending.map((f) => f.split('#')[0]))).toEqual(new Set(Object.keys(MODEL_PENDING)));
    for (const f of pending) {
      const t = loadTranscript(corpusPath('ssh-sessions', f));
      // A logout (`quit`, `exit`) may be recorded with no answer; the commands before it have one.
      expect(t.exchanges.filter((e) => e.response.length > 0).length, f).toBeGreaterThan(0);
    }
  });

  for (const file of files) {
    const id = file.replace(/#(?:custom_)?simulation\.yaml$/, '');
    it(`${id}: pulled, matches the peer in substance, redacted, accounts read`, async () => {
      const transcript = loadTranscript(corpusPath('ssh-sessions', file));
      const platformId = MODEL_PLATFORM[transcript.model]!;
      const emu = await startEmulator({ transcript, ...(transcript.model === 'routeros' ? { extra: [ROUTEROS_USERS] } : {}) });
      emulators.push(emu);
      const target = emulatedTarget(emu.port, platformId);
      const pulled = await attemptPull(target, { trusted: [], revoked: [] }, LIMITS);

      // Substance: the configuration command's part only (RouterOS's user list is aaawatch's own addition).
      const outputFile = corpusPath('ssh-sessions', file.replace(/simulation\.yaml$/, 'output.txt'));
      const configPart = transcript.model === 'routeros' ? pulled.raw.slice(0, pulled.raw.indexOf('Flags: X')) : pulled.raw;
      expect(substanceMismatch(configPart, readFileSync(outputFile, 'utf8'), transcript.model)).toBeUndefined();

      // Only the profile's commands reached the device: nothing that could change it.
      const profile = target.platform.ssh;
      const allowed = new Set([...profile.setup, ...profile.configCommands.flat(), 'enable', '<enable secret>', 'exit']);
      for (const sent of emu.received) expect(allowed).toContain(sent);

      const d = digest(target.platform, pulled.raw);
      const secretFile = corpusPath('ssh-sessions', `${id}#secret.yaml`);
      const listed = existsSync(secretFile) ? (parse(readFileSync(secretFile, 'utf8')) as { fail?: string[]; pass?: string[] }) : {};
      for (const secret of [...(listed.fail ?? []), ...(OWN_SECRETS[id] ?? [])]) expect(d.redacted).not.toContain(secret);
      for (const kept of listed.pass ?? []) expect(d.redacted).toMatch(ours(kept));
      for (const a of d.accounts) for (const line of a.lines) for (const secret of listed.fail ?? []) expect(line).not.toContain(secret);

      expect(d.accounts.map(({ name, roles, credentials, privilege }) => ({ name, roles, credentials, ...(privilege ? { privilege } : {}) }))).toEqual(ACCOUNTS[id]);
    });
  }
});
