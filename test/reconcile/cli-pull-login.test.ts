// An account created on a device while `aaawatch pull` from the command line logs in to it, before
// the pull asks for the configuration, is in what the pull reads, and its logged creation is one
// (issue 15 item 7, pullread21): account-created is raised and the Accounts row names its maker.
// Judged by the pull's start (race20), it was read as restating what the pull showed: no finding, no
// maker. A `username` re-issued after the pull sent its configuration command still restates it.
// Real processes (serve and pull from dist), the SSH device emulator (which logs the creation while
// it holds the pull's login), real UDP syslog, findings and accounts read with the command line.

import dgram from 'node:dgram';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { pastConfigurationCommand, startPulledServe, until, type PulledServe } from '../support/pulled-serve.js';
import { iosLine } from './support.js';

let h: PulledServe | undefined;
let db: Db | undefined;
const client = dgram.createSocket('udp4');
afterAll(async () => {
  client.close();
  db?.close();
  await h?.close();
});

describe('a username logged while a command-line pull logs in, serve running', () => {
  it('is account-created with its maker named; a re-issue after the configuration command is not', async () => {
    let seq = 1;
    const send = (port: number, by: string, text: string): void => {
      client.send(iosLine(seq++, 'core-sw1', Date.now(), 'PARSER-5-CFGLOG_LOGGEDCMD', `User:${by}  logged command:${text}`), port, '127.0.0.1');
    };
    const record = (target: string): { action: string; received_at: number } | undefined =>
      (db ??= openDatabase(join(h!.dir, 'aaawatch.db'), { readonly: true }))
        .prepare(`SELECT action, received_at FROM events WHERE kind = 'account' AND target = ? ORDER BY id DESC LIMIT 1`).get(target) as { action: string; received_at: number } | undefined;
    // While the pull logs in, the device logs `rocks` made by jdoe (the configuration it then prints
    // holds it) and shows its prompt once serve has stored that record.
    const atLogin = async (): Promise<void> => {
      send(h!.port, 'jdoe', 'username rocks secret *');
      await until(() => record('rocks') !== undefined, 'the record of rocks', 20_000, 5);
    };
    h = await startPulledServe('aaawatch-pullread-', { device: { atLogin } });
    const { aaawatch, emulator, port, log } = h;
    const created = async (): Promise<string[]> => {
      const out = await aaawatch('findings', '--kind', 'account-created', '--status', 'all', '--json');
      expect(out, out.stderr).toMatchObject({ code: 0 });
      return out.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { account: string }).account).sort();
    };

    const pull = aaawatch('pull', 'core-sw1');
    // The pull has asked for the configuration (it shows `oxidized` too): mallory re-issues `oxidized`.
    await pastConfigurationCommand(emulator.received);
    send(port, 'mallory', 'username oxidized secret *');
    const pulled = await pull;
    expect(pulled).toMatchObject({ code: 0 });
    expect(pulled.stdout).toMatch(/^core-sw1\s+changed/m);
    await until(() => record('oxidized') !== undefined, 'the record of oxidized');
    // Both stored as creations (serve's reader knew neither account); rocks received after the pull
    // started and before it read the configuration, oxidized after that.
    const run = db!.prepare(`SELECT started_at, read_at FROM pull_runs WHERE device = 'core-sw1'`).get() as { started_at: number; read_at: number };
    expect(record('rocks')).toMatchObject({ action: 'account.create' });
    expect(record('oxidized')).toMatchObject({ action: 'account.create' });
    expect(record('rocks')!.received_at).toBeGreaterThan(run.started_at);
    expect(record('rocks')!.received_at).toBeLessThan(run.read_at);
    expect(record('oxidized')!.received_at).toBeGreaterThan(run.read_at);

    let raised: string[] = [];
    const deadline = Date.now() + 20_000;
    while (!(raised = await created()).includes('rocks')) {
      if (Date.now() > deadline) throw new Error(`no finding for rocks: ${raised.join(', ')}\n${log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Past another creation pass: a re-issue judged later would show by now.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await created()).toEqual(['rocks']);
    // The Accounts row (before the skew has passed, read from the records: population.ts) names
    // jdoe as rocks' maker, and no one as oxidized's.
    const accounts = await aaawatch('accounts', '--device', 'core-sw1', '--json');
    expect(accounts, accounts.stderr).toMatchObject({ code: 0 });
    const rows = accounts.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { account: string; createdBy: string | null });
    expect(rows.filter((r) => ['oxidized', 'rocks'].includes(r.account)).map((r) => [r.account, r.createdBy]).sort()).toEqual([['oxidized', null], ['rocks', 'jdoe']]);
  }, 90_000);
});
