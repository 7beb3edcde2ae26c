// The roles a pulled configuration defines reach the reader on both engines (serve's watch of
// pulled accounts: src/ingest/pulled-accounts.ts, src/store/pg/pulled-accounts.ts): at the watch's
// start from the latest pulls, and with each later pull. A Junos class with `permissions all` that
// no pulled account holds resolves the class a later syslog line puts a user in.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { watchPulledAccounts } from '../../src/ingest/pulled-accounts.js';
import { AccountKnowledge } from '../../src/ingest/resolve.js';
import { digest } from '../../src/pull/digest.js';
import type { PullablePlatform } from '../../src/pull/target.js';
import { openDatabase } from '../../src/store/db.js';
import { watchPulledAccountsPg } from '../../src/store/pg/pulled-accounts.js';
import type { AccountEvent } from '../../src/types.js';
import { describeEngines } from '../support/engines.js';
import { openReconStores, type ReconStores } from '../support/recon-stores.js';

const blob = createHash('sha256').update('mx1').digest();
const success = (at: number, config: string) => ({
  device: 'mx1', platform: 'juniper-junos', startedAt: at - 500, finishedAt: at, attempts: 1,
  digest: digest(platformById('juniper-junos') as PullablePlatform, config),
  hostKey: { type: 'ssh-ed25519', blob, fingerprint: 'SHA256:x' }, keySource: 'tofu' as const,
});
const userIn = (cls: string): AccountEvent => ({
  kind: 'account', action: 'account.set', device: 'mx1', platform: 'juniper-junos', time: '2026-12-05T07:40:12.000Z', target: 'bob', role: cls, actor: 'mallory',
});

describeEngines('roles a pull defines, read by the reader', (engine) => {
  let e: ReconStores;
  let path: string | undefined;
  beforeAll(async () => {
    const target = await engine.fresh();
    if (target.kind === 'sqlite') path = target.path;
    e = await openReconStores(target);
  });
  afterAll(() => e.close());

  it('at the watch\'s start and with each later pull', async () => {
    await e.pulls.recordSuccess(success(1_000, 'set system login class ops-custom permissions all\nset system login class noc permissions view'));
    const knowledge = new AccountKnowledge();
    const db = path === undefined ? undefined : openDatabase(path);
    const watch = db ? watchPulledAccounts(db, knowledge, 60_000) : await watchPulledAccountsPg(e.pool!, knowledge, 60_000);
    try {
      expect(knowledge.resolve(userIn('ops-custom')).role).toBe('ops-custom (permissions all)');
      expect(knowledge.resolve(userIn('noc')).role).toBe('noc');
      await e.pulls.recordSuccess(success(2_000, 'set system login class ops-custom permissions view'));
      await watch.check();
      expect(knowledge.resolve(userIn('ops-custom')).role).toBe('ops-custom');
    } finally {
      watch.stop();
      db?.close();
    }
  });
});
