// A `username` re-issued on a device while `aaawatch pull` from the command line is storing what it
// read, or in the second after (before a running `serve` has read that pull: pulled-accounts.ts),
// reaches the store as a creation: serve's reader did not know the account. It is no
// account-created: the pull had already shown the account held (issue 15 item 7), nor its maker on
// the Accounts row. A really new account in the same moments still is one. Real processes (serve
// and pull from dist), the SSH device emulator, real UDP syslog, findings and accounts read with
// the command line.

import dgram from 'node:dgram';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { pastConfigurationCommand, startPulledServe, until, type PulledServe } from '../support/pulled-serve.js';
import { iosLine } from './support.js';

let h: PulledServe | undefined;
afterAll(async () => h?.close());

describe('a username re-issued around a command-line pull while serve runs', () => {
  it('is no account-created; a new account in the same moments is one', async () => {
    h = await startPulledServe('aaawatch-reissue-');
    const { aaawatch, emulator, port, log } = h;
    const client = dgram.createSocket('udp4');
    const db = openDatabase(join(h.dir, 'aaawatch.db'), { readonly: true });
    let seq = 1;
    const send = (text: string): void => {
      client.send(iosLine(seq++, 'core-sw1', Date.now(), 'PARSER-5-CFGLOG_LOGGEDCMD', `User:jdoe  logged command:${text}`), port, '127.0.0.1');
    };
    const record = (target: string): { action: string; received_at: number } | undefined =>
      db.prepare(`SELECT action, received_at FROM events WHERE kind = 'account' AND target = ? ORDER BY id DESC LIMIT 1`).get(target) as { action: string; received_at: number } | undefined;
    const created = async (): Promise<string[]> => {
      const out = await aaawatch('findings', '--kind', 'account-created', '--status', 'all', '--json');
      expect(out.code).toBe(0);
      return out.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { account: string }).account).sort();
    };
    try {
      const pull = aaawatch('pull', 'core-sw1');
      // The pull has asked for the configuration (it shows `oxidized` and `rocks`): the device logs
      // `oxidized` re-issued, and a new account, while the pull reads and stores.
      await pastConfigurationCommand(emulator.received);
      send('username oxidized secret *');
      send('username newbie privilege 15 secret *');
      const pulled = await pull;
      expect(pulled.code).toBe(0);
      expect(pulled.stdout).toMatch(/^core-sw1\s+changed/m);
      // Within the second after the pull committed, before serve reads it: `rocks` re-issued, and another new account.
      send('username rocks secret *');
      send('username newbie2 secret *');
      await until(() => ['oxidized', 'newbie', 'rocks', 'newbie2'].every((a) => record(a) !== undefined), 'the records');
      // Serve stored the re-issue before the pull committed, as a creation: its reader could not know the account.
      const finished = (db.prepare(`SELECT finished_at FROM pull_runs WHERE device = 'core-sw1'`).get() as { finished_at: number }).finished_at;
      expect(record('oxidized')).toMatchObject({ action: 'account.create' });
      expect(record('oxidized')!.received_at).toBeLessThan(finished);
      expect(record('newbie')!.action).toBe('account.create');
      // Both new accounts raise account-created (serve's creation pass, a second after the records); neither re-issue does.
      let raised: string[] = [];
      const deadline = Date.now() + 20_000;
      while (!(raised = await created()).includes('newbie2')) {
        if (Date.now() > deadline) throw new Error(`no finding for newbie2: ${raised.join(', ')}\n${log()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // Past another creation pass: a re-issue judged later would show by now.
      await new Promise((r) => setTimeout(r, 2500));
      expect(await created()).toEqual(['newbie', 'newbie2']);
      // Nor is the re-issuer its maker on the Accounts row (`aaawatch accounts`, as /api/accounts and
      // its CSV give the rows): the pull that first showed `oxidized` and `rocks` started before each
      // re-issue, and before the skew has passed the row reads its making from the records (population.ts).
      const accounts = await aaawatch('accounts', '--device', 'core-sw1', '--json');
      expect(accounts.code).toBe(0);
      const rows = accounts.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { account: string; createdBy: string | null });
      const makers = rows.filter((r) => ['oxidized', 'rocks', 'newbie'].includes(r.account)).map((r) => [r.account, r.createdBy]).sort();
      expect(makers).toEqual([['newbie', 'jdoe'], ['oxidized', null], ['rocks', null]]);
    } finally {
      client.close();
      db.close();
    }
  }, 90_000);
});
