// rsyslog omrelp → `aaawatch serve` over RELP, with serve killed (SIGKILL) ten times mid-stream and
// restarted: every line rsyslog read is stored, and none twice. The resends that follow each kill
// (frames committed whose answers died with the process) are recognised, not stored again.

import { describe, expect, it } from 'vitest';
import { crashRounds } from '../support/crash-rounds.js';
import { mulberry32 } from '../support/random.js';
import { tempDir } from '../support/temp.js';
import { rsyslog } from '../support/tools.js';

describe('RELP across kill -9', () => {
  // Eleven starts of serve (~3 s of CPU each): at load 20-25, with another file beside it, the
  // rounds took 190 s and then over 300 s. The timeout is a guard against a hang only.
  it('loses no line and stores none twice over 10 kills of serve', { timeout: 600_000 }, async (ctx) => {
    const rs = rsyslog();
    if (!rs) return ctx.skip('rsyslogd with omrelp is not installed');
    const r = await crashRounds({
      transport: 'relp', rsyslogd: rs.rsyslogd, modules: rs.modules, dir: tempDir('aaawatch-relp-kill-'),
      lines: 20_000, rate: 1000, rounds: 10, upMs: [800, 1600], downMs: 300, random: mulberry32(12),
    });
    expect(r.kills).toBe(10);
    expect({ lost: r.lost, duplicates: r.duplicates }).toEqual({ lost: 0, duplicates: 0 });
    expect(r.stored).toBe(20_000);
  });
});
