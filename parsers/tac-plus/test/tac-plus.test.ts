import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { tacPlus } from '../index.js';
import { fileLines, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'tac-plus';
const recognise = tacPlus.recognise!;
const run = (line: string) => recogniser(recognise, P)(line);

// Fixtures written for these tests in the formats the servers document:
// - shrubbery/facebook tac_plus accounting (`accounting file` / `accounting syslog`): date, NAS,
//   user, port, remote address, start|stop|update, then tab-separated AV pairs (as the corpus);
// - tac_plus-ng's default log formats (tac_plus-ng/config.c: `acct_file`, `acct_syslog3`, and
//   `acct_syslog` with its own `<PRI>%Y-%m-%d %H:%M:%S %z ${hostname}` header over UDP).
// The AV pairs are those of RFC 8907 §8.3 and Cisco IOS command accounting; names invented.
const T = '2026-11-21T22:10:01.000Z';
const who = { platform: P, device: '10.1.1.1', actor: 'alice', actorAddress: '10.9.9.9', path: 'tacacs' } as const;

describe('tac-plus corpus', () => {
  it('yields the expected records for every corpus line', () => {
    expect(platformCaseProblems(tacPlus, files, cases)).toEqual([]);
  });

  it('reads a real command stop record whole', () => {
    const [first] = fileLines(files[0]!);
    expect(run(first!.text)).toEqual({
      records: [{
        kind: 'command', action: 'command', platform: P, time: '2020-07-17T17:41:26.000Z', device: '10.1.1.2', actor: 'admin',
        actorAddress: '10.1.1.1', path: 'tacacs', command: 'commit stay', privilege: '15',
      }],
      unknown: [],
    });
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(tacPlus);
  });
});

describe('tac-plus accounting records', () => {
  it('yields a command and account.set for `username` (syslog form), the password redacted', () => {
    const line =
      '<86>Nov 21 22:10:01 tacsrv tac_plus[77]: 10.1.1.1\talice\ttty1\t10.9.9.9\tstop\ttask_id=5\ttimezone=UTC\tservice=shell\tpriv-lvl=15\t' +
      'cmd=username bob privilege 15 secret 0 Cleartext1 <cr>';
    const command = 'username bob privilege 15 secret 0 <redacted>';
    expect(run(line).records).toEqual([
      { kind: 'command', action: 'command', ...who, time: T, command, privilege: '15' },
      { kind: 'account', action: 'account.set', ...who, time: T, target: 'bob', privilege: '15', technique: 'T1136.001', command },
    ]);
  });

  // shrubbery tac_plus F4.0.4's do_acct.c `do_acct_syslog` (v1.13, 2009): `"%s    %s    %s    %s    %s    %s"`
  // (NAS, user, port, remote address, type, the attributes joined by four spaces). No public line of
  // it was found; this one is written in that format.
  it('reads shrubbery\'s `accounting syslog` form, its fields four spaces apart', () => {
    const line =
      '<86>Nov 21 22:10:01 tacsrv tac_plus[77]: 10.1.1.1    alice    tty1    10.9.9.9    stop    task_id=5    timezone=UTC    ' +
      'service=shell    priv-lvl=15    cmd=no username bob <cr>';
    expect(run(line).records).toEqual([
      { kind: 'command', action: 'command', ...who, time: T, command: 'no username bob', privilege: '15' },
      { kind: 'account', action: 'account.delete', ...who, time: T, target: 'bob', technique: 'T1531', command: 'no username bob' },
    ]);
    // The server's other messages with a run of spaces are not accounting, and not reported.
    expect(run('<86>Nov 21 22:10:01 tacsrv tac_plus[77]: Reading config    done')).toEqual({ records: [], unknown: [] });
  });

  it('reads the ctime stamp of the classic accounting file', () => {
    const line = 'Sat Nov 21 22:10:01 2026\t10.1.1.1\talice\ttty1\t10.9.9.9\tstop\ttask_id=6\tservice=shell\tpriv-lvl=15\tcmd=no username bob <cr>';
    expect(run(line).records.map((r) => [r.action, r.time])).toEqual([['command', T], ['account.delete', T]]);
  });

  it('reads tac_plus-ng\'s file format (service and command without AV names)', () => {
    const line = '2026-11-21 23:10:01 +0100\t10.1.1.1\talice\ttty1\t10.9.9.9\tstop\tshell\tshow running-config | include username';
    expect(run(line).records).toEqual([
      { kind: 'command', action: 'command', ...who, time: T, command: 'show running-config | include username' },
    ]);
  });

  it('reads tac_plus-ng\'s syslog format, a pipe in the command kept', () => {
    const line =
      '<86>Nov 21 22:10:01 tacsrv tac_plus-ng[88]: 10.1.1.1|alice|tty1|10.9.9.9|stop|shell|task_id=9 service=shell priv-lvl=15 ' +
      'cmd=username bob role network-admin';
    expect(run(line).records).toEqual([
      { kind: 'command', action: 'command', ...who, time: T, command: 'username bob role network-admin', privilege: '15' },
      { kind: 'account', action: 'account.set', ...who, time: T, target: 'bob', role: 'network-admin', technique: 'T1098', command: 'username bob role network-admin' },
    ]);
    const show = '<86>Nov 21 22:10:01 tacsrv tac_plus-ng[88]: 10.1.1.1|alice|tty1|10.9.9.9|stop|shell|service=shell cmd=show run | include x=y';
    expect(run(show).records[0]).toMatchObject({ command: 'show run | include x=y' });
  });

  it('reads tac_plus-ng\'s own UDP header', () => {
    const line = '<86>2026-11-21 22:10:01 +0000 tacsrv 10.1.1.1|alice|tty1|10.9.9.9|stop|shell|service=shell cmd=set system login user eve class super-user';
    expect(run(line).records[1]).toMatchObject({ action: 'account.set', target: 'eve', role: 'super-user', time: T, device: '10.1.1.1' });
  });

  it('yields session start and stop for records without a command, and nothing for updates', () => {
    const base = '10.1.1.1\talice\ttty1\t10.9.9.9\t';
    const session = { kind: 'session', ...who, time: T, privilege: '15', session: '41' };
    expect(run(`2026-11-21 22:10:01 +0000\t${base}start\ttask_id=41\tservice=shell\tpriv-lvl=15`).records).toEqual([{ ...session, action: 'session.start' }]);
    expect(run(`2026-11-21 22:10:01 +0000\t${base}stop\ttask_id=41\tservice=shell\tpriv-lvl=15\telapsed_time=30`).records).toEqual([{ ...session, action: 'session.stop' }]);
    expect(run(`2026-11-21 22:10:01 +0000\t${base}update\ttask_id=41\tservice=shell`).records).toEqual([]);
  });

  it('records nothing of network-access services or IOS system accounting, as the native receiver does', () => {
    const at = '2026-11-21 22:10:01 +0000\t10.1.1.1\t';
    expect(run(`${at}unknown\ttty0\t\tstart\ttask_id=1\ttimezone=UTC\tservice=system\tevent=sys_acct\treason=reload`).records).toEqual([]);
    expect(run(`${at}dialer\tAsync1\t10.9.9.9\tstart\ttask_id=2\tservice=PPP\tprotocol=ip\taddr=10.2.2.2`).records).toEqual([]);
    expect(run(`${at}dialer\tAsync1\t10.9.9.9\tstop\ttask_id=2\tservice=ppp\tprotocol=ip\telapsed_time=30`).records).toEqual([]);
    expect(run('<86>Nov 21 22:10:01 tacsrv tac_plus-ng[88]: 10.1.1.1|dialer|Async1|10.9.9.9|start|vpdn|task_id=3 service=vpdn').records).toEqual([]);
    expect(run('<86>Nov 21 22:10:01 tacsrv tac_plus-ng[88]: 10.1.1.1|alice|tty1|10.9.9.9|start|shell|task_id=4 service=shell').records).toMatchObject([{ action: 'session.start' }]);
    expect(run(`${at}alice\ttty1\t10.9.9.9\tstart\ttask_id=41\tservice=shell`).records).toMatchObject([{ action: 'session.start' }]);
  });

  it('yields the command once: at its stop record, not its start record', () => {
    const base = '2026-11-21 22:10:01 +0000\t10.1.1.1\talice\ttty1\t10.9.9.9\t';
    expect(run(`${base}start\ttask_id=42\tservice=shell\tcmd=username bob password 0 x <cr>`).records).toEqual([]);
  });
});

describe('tac-plus relaying Junos and NX-OS', () => {
  // Lines of a tac_plus file logging a Junos device (jathanism/tac_parse `tac_plus.acct`, 6ed1b40), sent
  // as tac_plus's `accounting syslog` sends them (without the file's stamp).
  const junos = (rest: string) => run(`<86>Feb  4 15:13:52 tacsrv tac_plus[77]: 192.168.0.202\tjathan\tttyp0\t192.168.0.10\t${rest}`).records;

  it('a Junos login (START, `cmd=login`) and logout (STOP, `cmd=logout`) are the session, keyed by its task', () => {
    expect(junos('start\ttask_id=1\tservice=shell\tprocess*mgd[10137]\tcmd=login')).toMatchObject([{ kind: 'session', action: 'session.start', actor: 'jathan', session: '1' }]);
    expect(junos('stop\ttask_id=1\tservice=shell\telapsed_time=104\tprocess*mgd[10137]\tcmd=logout')).toMatchObject([{ kind: 'session', action: 'session.stop', session: '1' }]);
  });

  it('Junos\'s change log names the account a change touched', () => {
    expect(junos('stop\ttask_id=12\tservice=shell\tprocess*mgd[10137]\tcmd=set: [system login user admin authentication encrypted-password]')).toMatchObject([
      { action: 'command', command: 'set: [system login user admin authentication encrypted-password]' },
      { action: 'account.set', target: 'admin' },
    ]);
  });

  it('an NX-OS command under its configuration modes: the `username` read when it ran, the outcome not part of the command', () => {
    const nxos = (cmd: string) =>
      run(`<86>Oct 14 17:51:04 tacsrv tac_plus[77]: 192.168.0.2\tnxosadmin\t0\t192.168.0.11\tstop\ttask_id=192.168.0.11@pts/3\tstart_time=1728928256\ttimezone=UTC\tcmd=${cmd}\tservice=none`).records;
    expect(nxos('configure terminal ; username dave role network-admin (SUCCESS)')).toMatchObject([
      { action: 'command', command: 'configure terminal ; username dave role network-admin' },
      { action: 'account.set', target: 'dave', role: 'network-admin', command: 'username dave role network-admin' },
    ]);
    expect(nxos('configure terminal ; username dave role network-admin (FAILURE)')).toEqual([]);
  });
});

describe('tac-plus time zones', () => {
  // A file line stamped without an offset is the TACACS+ server's wall clock: read in the server's
  // zone (Berlin, by its name `tacsrv` or its address), never the NAS's (Tokyo, which must not be used).
  const zoneFor = (host: string | undefined, source: string | undefined) =>
    host === 'tacsrv' || source === '192.0.2.49' ? 'Europe/Berlin' : host === '10.1.1.1' ? 'Asia/Tokyo' : undefined;
  const berlin = recogniser(recognise, P, { zoneFor });
  const BERLIN_T = '2026-11-21T21:10:01.000Z';
  const rest = '10.1.1.1\talice\ttty1\t10.9.9.9\tstop\ttask_id=6\tservice=shell\tpriv-lvl=15\tcmd=show version <cr>';

  it('reads a ctime or offset-less stamp in the server\'s zone', () => {
    expect(berlin(`Sat Nov 21 22:10:01 2026\t${rest}`, '192.0.2.49').records[0]).toMatchObject({ time: BERLIN_T, device: '10.1.1.1' });
    expect(berlin(`2026-11-21 22:10:01\t${rest}`, '192.0.2.49').records[0]).toMatchObject({ time: BERLIN_T });
    // Shipped by syslog from the server (header stamp 22:10:09, also Berlin): the line's own stamp wins.
    expect(berlin(`<86>Nov 21 22:10:09 tacsrv tac_plus[77]: Sat Nov 21 22:10:01 2026\t${rest}`).records[0]).toMatchObject({ time: BERLIN_T });
  });

  it('reads shrubbery\'s yearless `%h %e %T` stamp in the server\'s zone, bare or relayed, with the receive year', () => {
    expect(berlin(`Nov 21 22:10:01\t${rest}`, '192.0.2.49').records[0]).toMatchObject({ time: BERLIN_T, device: '10.1.1.1' });
    expect(berlin(`<86>Nov 21 22:10:09 tacsrv tac_plus[77]: Nov 21 22:10:01\t${rest}`).records[0]).toMatchObject({ time: BERLIN_T });
    // Received on 21 November 2026: a December stamp is last year's.
    expect(run(`Dec 24 10:00:00\t${rest}`).records[0]).toMatchObject({ time: '2025-12-24T10:00:00.000Z' });
  });

  it('leaves a stamp with an offset as it is', () => {
    expect(berlin(`2026-11-21 22:10:01 +0000\t${rest}`, '192.0.2.49').records[0]).toMatchObject({ time: T });
  });
});

describe('tac-plus other traffic', () => {
  it('leaves other programs\' lines alone', () => {
    expect(run('<86>Nov 21 22:10:01 host sshd[1]: Accepted password for bob from 10.0.0.1 port 22 ssh2')).toEqual({ records: [], unknown: [] });
    expect(run('2026-11-21 22:10:01 something else entirely')).toEqual({ records: [], unknown: [] });
  });

  it('reports an accounting-shaped tac_plus line it cannot read, not the server\'s other messages', () => {
    expect(run('<86>Nov 21 22:10:01 tacsrv tac_plus[77]: 10.1.1.1\talice').unknown).toEqual(['tac_plus']);
    expect(run('<86>Nov 21 22:10:01 tacsrv tac_plus-ng[77]: 10.1.1.1|alice').unknown).toEqual(['tac_plus']);
    expect(run('<86>Nov 21 22:10:01 tacsrv tac_plus[77]: connect from 10.1.1.1 [10.1.1.1]')).toEqual({ records: [], unknown: [] });
  });

  // bench:ingest's tac_plus templates sent with odd user names (seeds24): a name holding the
  // separator shifts the fields, and the line, read as an accounting type of no record, was
  // neither counted nor kept.
  it('reports a line whose user name holds the separator, shifting the accounting type', () => {
    const cmd = 'username bob privilege 15 secret 5 $1$salt$hash';
    expect(run(`<38>Nov 21 22:10:01 tacacs1 tac_plus[1234]: 2026-11-21 22:10:01 +0000\t10.1.1.1\tal\tice\tssh\t10.9.9.9\tstop\ttask_id=1\tservice=shell\tcmd=${cmd}`))
      .toEqual({ records: [], unknown: ['tac_plus'] });
    expect(run(`<38>Nov 21 22:10:01 tacng1 tac_plus-ng[1234]: 10.1.1.1|al|ice|tty1|10.9.9.9|stop|shell|service=shell priv-lvl=15 cmd=${cmd}`))
      .toEqual({ records: [], unknown: ['tac_plus'] });
  });

  it('reads update and watchdog records as nothing, unreported', () => {
    for (const type of ['update', 'watchdog']) {
      expect(run(`<38>Nov 21 22:10:01 tacacs1 tac_plus[1234]: 2026-11-21 22:10:01 +0000\t10.1.1.1\talice\tssh\t10.9.9.9\t${type}\ttask_id=1\tservice=shell`))
        .toEqual({ records: [], unknown: [] });
    }
  });

  it('never throws on hostile input', () => {
    for (const text of [
      '2026-11-21 22:10:01 +0000\t\t\t\t\t\t\t',
      `<86>Nov 21 22:10:01 tacsrv tac_plus-ng[1]: ${'|'.repeat(10_000)}`,
      '2026-11-21 22:10:01 +0000\tnas\tu\tp\tn\tstop\t__proto__=1\tcmd=username __proto__',
    ]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});
