// Huawei VRP's header forms, declared by its platform (parsers/huawei-vrp/header.ts) and read by
// the shared header scanner only when its own forms fail. Real lines: Wazuh's Huawei USG ruleset
// tests (test/corpus/syslog/huawei-vrp). Written lines: the forms the issue quotes from Huawei's
// log reference (`Jan 8 2013 03:58:15+07:00 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:…`,
// `2011-08-18 18:08:56 HUAWEI …`), the summer-time suffix ` DST` its `info-center timestamp`
// documentation describes; command and host names invented.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { header } from '../header.js';
import { huaweiVrp } from '../index.js';
import { platformById, platforms } from '../../index.js';
import { parseSyslog } from '../../../src/ingest/header.js';
import { createRecogniser } from '../../../src/ingest/recognise.js';
import { corpusInput, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { corpusLines } from '../../../test/support/corpus.js';
import { cases, files } from './cases.js';

const RECEIVED = Date.parse('2026-11-21T23:00:00Z');
const parse = (line: string, zone?: string) =>
  parseSyslog(line, { receivedAt: RECEIVED, transport: 'udp', source: '192.0.2.7', zoneFor: () => zone });
const iso = (ms: number) => new Date(ms).toISOString();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('huawei-vrp header forms', () => {
  it.each([
    ['Jan 8 2013 03:58:15+07:00 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:Recorded command information. (Task=VT0, Ip=192.0.2.9, VpnName=, User=admin, AuthenticationMethod="Local-user", Command="display current-configuration")',
      'HUAWEI', 'Jan 8 2013 03:58:15+07:00', '2013-01-07T20:58:15.000Z', 'exact'],
    ['<189>2011-08-18 18:08:56 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:Recorded command information.', 'HUAWEI', '2011-08-18 18:08:56', '2011-08-18T18:08:56.000Z', 'inferred'],
    ['<189>Dec 25 2019 14:41:46.250-08:00 DST CE-core %%01SHELL/5/CMDRECORD(s)[0]:x', 'CE-core', 'Dec 25 2019 14:41:46.250-08:00 DST', '2019-12-25T22:41:46.250Z', 'exact'],
  ])('%s', (line, hostname, timeText, time, quality) => {
    const m = parse(line);
    expect({ hostname: m.hostname, timeText: m.timeText, time: iso(m.time), quality: m.timeQuality }).toEqual({ hostname, timeText, time, quality });
    expect(m.message.startsWith('%%01')).toBe(true);
  });

  it('reads a stamp without a zone in the zone configured for the device', () => {
    expect(iso(parse('2011-08-18 18:08:56 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:x', 'Asia/Shanghai').time)).toBe('2011-08-18T10:08:56.000Z');
  });

  it('keeps hostname and time of the real USG lines', () => {
    const file = files[0]!;
    const got = corpusLines(...file.split('/')).map((l) => parse(corpusInput(file, l))).map((m) => [m.hostname, iso(m.time)]);
    expect(got).toEqual([
      ['USG6300', '2018-10-05T09:52:14.000Z'],
      ['USG6300', '2018-10-05T10:52:19.000Z'],
      ['USG6300', '2018-10-05T10:52:13.000Z'],
    ]);
  });

  it('keeps hostname and time of the log references\' messages behind the references\' example header', () => {
    for (const file of files.filter((f) => f.endsWith('.vrp-logref'))) {
      for (const l of corpusLines(...file.split('/'))) {
        const m = parse(corpusInput(file, l));
        expect([m.hostname, iso(m.time), m.message.startsWith('%%01')], l).toEqual(['HUAWEI', '2011-08-06T20:34:46.000Z', true]);
      }
    }
  });

  it('is never consulted for a line the scanner reads itself, and reads nothing that is not Huawei', () => {
    const read = vi.spyOn(header, 'read');
    parse('<189>1: core-sw1: Nov 21 2026 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:no shutdown');
    parse('<13>Nov 21 22:10:01 web01 sshd[123]: Accepted password for alice from 192.0.2.1 port 22 ssh2');
    parse('<166>Nov 21 2026 22:10:01 fw1 : %ASA-5-111008: User \'admin\' executed the \'write memory\' command.');
    expect(read).not.toHaveBeenCalled();
    // No hostname, no tag: consulted, and it declines.
    const bare = parse('2018/10/05 09:52:14 a line with no tag');
    expect(read).toHaveBeenCalledTimes(1);
    expect(bare.hostname).toBeUndefined();
    expect(parse('2018/10/05 09:52:14 HUAWEI %%0x not a version').hostname).toBeUndefined();
    // After a collector's `YYYY-MM-DD hh:mm:ss` stamp and a host without a tag: consulted too, and
    // when it declines the scanner's reading stands.
    expect(parse('2011-08-18 18:08:56 a line with no tag').hostname).toBe('a');
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('survives a quirk that throws', () => {
    vi.spyOn(header, 'read').mockImplementation(() => {
      throw new Error('boom');
    });
    expect(parse('2018/10/05 09:52:14 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:x').hostname).toBeUndefined();
  });
});

describe('huawei-vrp in the registry', () => {
  it('is found in its folder, and the registry works with it', () => {
    expect(platformById('huawei-vrp')).toBe(huaweiVrp);
    expect(platforms).toContain(huaweiVrp);
    const recognise = createRecogniser(platforms);
    expect(recognise(parse('Jan 8 2013 03:58:15+07:00 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:Recorded command information. (Task=VTY0, Ip=192.0.2.9, VpnName=, User=admin, AuthenticationMethod="Local-user", Command="sysname core1")')).records).toHaveLength(1);
  });

  it('yields what its corpus cases say', () => {
    expect(platformCaseProblems(huaweiVrp, files, cases)).toEqual([]);
  });
});
