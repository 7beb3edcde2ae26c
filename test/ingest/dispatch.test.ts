// Offering a message only to the platforms whose declared prefixes select it (src/ingest/dispatch.ts):
// the index itself, and, over every corpus line and the bench's traffic, the same records and
// unknowns as offering every message to every platform.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { createDispatch } from '../../src/ingest/dispatch.js';
import { readMessage } from '../../src/ingest/envelopes/index.js';
import { parseSyslog } from '../../src/ingest/header.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { writeTrafficFile } from '../bench/traffic.js';
import { CORPUS } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { CORPUS_RECEIVED_AT, corpusAndHostileTexts } from '../tools/corpus-cases.js';

const at = (line: string): SyslogMessage => parseSyslog(line, { receivedAt: CORPUS_RECEIVED_AT, transport: 'udp' });
const record = (platform: string): AaaRecord => ({ kind: 'command', action: 'command', time: '2026-11-21T22:10:01.000Z', device: 'h1', platform, command: 'x' });
const saying = (id: string, offer?: Platform['offer']): Platform => ({ id, name: id, recognise: () => [record(id)], ...(offer ? { offer } : {}) });
const chosen = (list: readonly Platform[], line: string): string[] => {
  const bits = createDispatch(list)(at(line));
  return list.filter((_, k) => (bits[k >> 5]! & (1 << (k & 31))) !== 0).map((p) => p.id);
};

describe('dispatch by declared prefixes', () => {
  const own = [
    saying('tagged', { tags: ['SYS-'] }),
    saying('program', { programs: ['useradd'] }),
    saying('text', { texts: ['%%', 'id='] }),
    saying('undeclared'),
    saying('unicode', { texts: ['ß'] }),
  ];

  it('offers a message to the platforms one of whose prefixes starts its tag, program or text, and always to those that declare none', () => {
    expect(chosen(own, '<189>12: Nov 21 22:10:01 UTC: %SYS-5-CONFIG_I: Configured from console by a on vty0')).toEqual(['tagged', 'undeclared']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 useradd[12]: new user: name=x')).toEqual(['program', 'undeclared']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 id=fw sn=1 m=29')).toEqual(['text', 'undeclared']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 ßtraße')).toEqual(['undeclared', 'unicode']);
    expect(chosen(own, '<86>Nov 21 22:10:01 h1 cron[1]: %SYS in the text, useradd too')).toEqual(['undeclared']);
    expect(createRecogniser(own)(at('<86>Nov 21 22:10:01 h1 id=x')).records.map((r) => r.platform)).toEqual(['text', 'undeclared']);
  });

  it('keeps platforms beyond the first 32 apart', () => {
    const many = Array.from({ length: 70 }, (_, k) => saying(`p${k}`, { texts: [`k${k}-`] }));
    expect(chosen(many, '<86>Nov 21 22:10:01 h1 app: k33- x')).toEqual(['p33']);
    expect(chosen(many, '<86>Nov 21 22:10:01 h1 app: k69- x')).toEqual(['p69']);
    expect(createRecogniser(many)(at('<86>Nov 21 22:10:01 h1 app: k64- x')).records.map((r) => r.platform)).toEqual(['p64']);
  });

  it('refuses an empty prefix, which would offer everything while looking selective', () => {
    expect(() => createDispatch([saying('bad', { texts: [''] })])).toThrow(/empty prefix/);
  });
});

describe('offers by RFC 5424 MSGID; Junos and tac_plus', () => {
  const ids = (line: string): string[] => chosen(platforms, line);

  it('offers a message whose MSGID starts with a declared prefix, whatever its program and text', () => {
    const own = [saying('by-id', { msgIds: ['UI_'] }), saying('by-text', { texts: ['UI_'] })];
    expect(chosen(own, '<189>1 2026-11-21T22:10:01.000Z mx1 mgd 4242 UI_CMDLINE_READ_LINE - User \'a\', command \'show\'')).toEqual(['by-id']);
    expect(chosen(own, '<189>Nov 21 22:10:01 mx1 mgd[4242]: UI_CMDLINE_READ_LINE: User \'a\', command \'show\'')).toEqual(['by-text']);
    expect(chosen(own, '<189>1 2026-11-21T22:10:01.000Z mx1 mgd 4242 - - UI_ in the text')).toEqual(['by-text']);
  });

  it('offers Junos its RFC 5424, BSD and explicit-priority forms, and not the chatter of other programs', () => {
    expect(ids('<189>1 2026-11-21T22:10:01.000Z mx1 mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="a" command="show"] User \'a\', command \'show\'')).toContain('juniper-junos');
    expect(ids('<37>1 2026-11-21T22:10:01.000Z mx1 sshd - SSHD_LOGIN_FAILED [junos@2636.1.1.1.2.129 username="m"] Login failed')).toContain('juniper-junos');
    expect(ids('<189>Nov 21 22:10:01 mx1 mgd[4242]: UI_COMMIT: User \'a\' requested \'commit\' operation')).toContain('juniper-junos');
    expect(ids('<189>Nov 21 22:10:01 mx1 cli: UI_CLI_IDLE_TIMEOUT: Idle timeout for user \'a\' exceeded and session terminated')).toContain('juniper-junos');
    expect(ids('<189>Nov 21 22:10:01 mx1 mgd[6121]: %INTERACT-6-UI_COMMIT: User \'a\' requested \'commit confirmed\' operation')).toContain('juniper-junos');
    expect(ids('<189>Nov 21 22:10:01 mx1 mgd[6121]: %CHANGE-5-UI_CFG_AUDIT_OTHER: User \'a\' delete: [system login user b]')).toContain('juniper-junos');
    expect(ids('<78>Nov 21 22:10:01 host0 CRON[2000]: (root) CMD (run-parts /etc/cron.hourly)')).not.toContain('juniper-junos');
    expect(ids('<14>1 2026-11-21T22:10:01.000Z srx0 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 a="b"] session created')).not.toContain('juniper-junos');
  });

  it('offers tac_plus its programs and its accounting file lines, and not the chatter of other programs', () => {
    expect(ids('<86>Jul 17 17:41:26 aaa1 tac_plus[812]: 2020-07-17 17:41:26 +0000\tnas1\tadmin\ttty0\t10.0.0.9\tstop\ttask_id=5\tcmd=show')).toContain('tac-plus');
    expect(ids('<86>Jul 17 17:41:26 aaa1 tac_plus-ng: nas1|admin|stop|cmd=show')).toContain('tac-plus');
    expect(ids('2020-07-17 17:41:26 +0000\tnas1\tadmin\ttty0\t10.0.0.9\tstop\ttask_id=5\tcmd=show')).toContain('tac-plus');
    expect(ids('Fri Jul 17 17:41:26 2020\tnas1\tadmin\ttty0\t10.0.0.9\tstop\ttask_id=5\tcmd=show')).toContain('tac-plus');
    expect(ids('<78>Nov 21 22:10:01 host0 CRON[2000]: (root) CMD (run-parts /etc/cron.hourly)')).not.toContain('tac-plus');
    expect(ids('<187>1000: Nov 21 22:10:01.123 UTC: %LINK-3-UPDOWN: Interface Gi1/0/1, changed state to up')).not.toContain('tac-plus');
  });
});

describe('the shipped platforms’ offers', () => {
  const undeclared = platforms.map(({ offer: _offer, ...p }) => p);

  function same(texts: Iterable<{ where: string; text: string }>): number {
    const filtered = createRecogniser(platforms);
    const everyone = createRecogniser(undeclared);
    let n = 0;
    for (const { where, text } of texts) {
      const msg = (): SyslogMessage => readMessage(text, { receivedAt: CORPUS_RECEIVED_AT, transport: 'file' });
      const a = filtered(msg());
      const want = everyone(msg());
      expect(JSON.stringify(a), where).toBe(JSON.stringify(want));
      n++;
    }
    return n;
  }

  it('change nothing over the corpus: every line gives the records and unknowns it gives when offered to every platform', () => {
    expect(same(corpusAndHostileTexts())).toBeGreaterThan(800);
  });

  it('change nothing over the bench traffic', () => {
    const file = join(tempDir(), 'traffic.log');
    writeTrafficFile(file, 20_000, CORPUS);
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    expect(same(lines.map((text, i) => ({ where: `traffic:${i + 1}`, text })))).toBe(20_000);
  });
});
