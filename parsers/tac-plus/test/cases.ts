// Every line of the corpus's tac_plus accounting file (a Nokia SR Linux NAS, 10.1.1.2, logging
// to a tac_plus container) and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const F = 'syslog/tacacs/tac_plus-accounting-srlinux.log';

// probe-cloud: a line of shrubbery tac_plus's accounting file, stamped `%h %e %T` (do_acct.c).
const SHRUBBERY = 'syslog/tacacs/tac_plus-shrubbery-file.relevant';

export const files = [F, SHRUBBERY];

const NAS = '10.1.1.2';
const FROM = '10.1.1.1';

/** A command's stop record: the command, who ran it, from where, at which privilege. */
function ran(line: number, time: string, actor: string, command: string): CorpusCase {
  return {
    file: F, line,
    expect: [{
      kind: 'command', action: 'command', time, device: NAS, actor, actorAddress: FROM, privilege: '15', path: 'tacacs', command,
    }],
  };
}

/** The start record of a command whose stop record follows: the command is counted once, at its stop. */
function started(line: number): CorpusCase {
  return { file: F, line, expect: [], note: 'start record of a command; its stop record (next line) carries it' };
}

export const cases: CorpusCase[] = [
  ran(1, '2020-07-17T17:41:26.000Z', 'admin', 'commit stay'),
  started(2), ran(3, '2020-07-17T17:42:01.000Z', 'admin', 'info'),
  started(4), ran(5, '2020-07-17T17:42:11.000Z', 'admin', 'info from state'),
  started(6), ran(7, '2020-07-17T17:42:17.000Z', 'admin', 'exit'),
  started(8), ran(9, '2020-07-17T17:42:19.000Z', 'admin', 'info from state'),
  started(10), ran(11, '2020-07-17T17:57:25.000Z', 'admin', 'info'),
  started(12), ran(13, '2020-07-17T17:57:28.000Z', 'admin', 'back'),
  started(14), ran(15, '2020-07-17T17:57:29.000Z', 'admin', 'info'),
  started(16), ran(17, '2020-07-17T17:57:33.000Z', 'admin', 'exit'),
  started(18), ran(19, '2020-07-17T17:57:34.000Z', 'admin', 'exit'),
  started(20), ran(21, '2020-07-17T17:57:36.000Z', 'admin', 'info'),
  started(22), ran(23, '2020-07-17T18:01:20.000Z', 'wim', 'exit'),
  started(24), ran(25, '2020-07-17T18:01:22.000Z', 'wim', 'quit'),
  {
    file: F, line: 26,
    expect: [{ kind: 'session', action: 'login.failed', time: '2020-07-17T18:01:50.000Z', device: NAS, actor: 'hans', actorAddress: FROM, path: 'tacacs' }],
    note: 'tac_plus authentication line (`ascii login failed`)',
  },
  {
    file: F, line: 27,
    expect: [{ kind: 'session', action: 'login', time: '2020-07-17T18:01:55.000Z', device: NAS, actor: 'hans', actorAddress: FROM, path: 'tacacs' }],
  },

  {
    file: SHRUBBERY, line: 1,
    expect: [{
      kind: 'command', action: 'command', time: '2026-02-02T18:41:38.000Z', device: '192.168.0.202', actor: 'jathan',
      actorAddress: '192.168.0.10', path: 'tacacs', command: 'configure exclusive', privilege: undefined,
    }],
    note: 'a Junos `configure exclusive` (its optional `process*mgd[…]` attribute passed over); the yearless stamp takes the receive year',
  },
];
