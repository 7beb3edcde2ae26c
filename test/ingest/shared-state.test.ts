// The command line and a running server share one store, and the server learns from it: `aaawatch
// pull` run from a shell (as cron runs it) while `aaawatch serve` is up, and a `username` command
// for an account that pull found is then read by the server as a change, not a creation. Real
// processes (serve and pull from dist), a real SSH device emulator, real UDP syslog.

import dgram from 'node:dgram';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { startPulledServe, until, type PulledServe } from '../support/pulled-serve.js';
import { iosLine } from '../reconcile/support.js';

let h: PulledServe | undefined;
afterAll(async () => h?.close());

describe('aaawatch pull while aaawatch serve runs', () => {
  it('the server reads a re-issued username for an account the command-line pull found as a change', async () => {
    h = await startPulledServe('aaawatch-shared-');
    const { aaawatch, port, log } = h;
    const client = dgram.createSocket('udp4');
    const db = openDatabase(join(h.dir, 'aaawatch.db'), { readonly: true });
    const actionFor = (target: string): string | undefined =>
      (db.prepare(`SELECT action FROM events WHERE kind = 'account' AND target = ? ORDER BY id DESC LIMIT 1`).get(target) as { action: string } | undefined)?.action;
    const send = (seq: number, text: string): void => {
      client.send(iosLine(seq, 'core-sw1', Date.now(), 'PARSER-5-CFGLOG_LOGGEDCMD', `User:jdoe  logged command:${text}`), port, '127.0.0.1');
    };
    try {
      const pull = await aaawatch('pull', 'core-sw1');
      expect(pull.code).toBe(0);
      expect(pull.stdout).toMatch(/^core-sw1\s+changed/m);
      // The server reads the new snapshot from the store (it pulled nothing itself), every second whatever
      // reconcile.pullCheckSeconds is: read at 15 s, a username re-issued 3 s after the pull was a creation (aud19a).
      await until(() => log().includes('accounts read from new snapshots'), `serve to read the snapshot well before pullCheckSeconds:\n${log()}`, 10_000);
      // `oxidized` is on the device (the pull found it); `newbie` is not.
      send(1, 'username oxidized privilege 15 secret *');
      send(2, 'username newbie privilege 1 secret *');
      await until(() => actionFor('oxidized') !== undefined && actionFor('newbie') !== undefined, 'the records');
      expect(actionFor('oxidized')).toBe('account.modify');
      expect(actionFor('newbie')).toBe('account.create');
    } finally {
      client.close();
      db.close();
    }
  });
});
