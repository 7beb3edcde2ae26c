import { describe, expect, it } from 'vitest';
import { recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import { cases, files } from './cases.js';
import { checkCorpus, RECEIVED, recogniser } from '../../../test/parsers/harness.js';

const P = 'cisco-iosxr';
const run = (line: string) => recogniser(recognise, P)(line);

// The corpus holds one terminal capture of IOS-XR lines (cases.ts). Fixtures are written for these tests in the formats of the
// Cisco IOS XR System Error Message Reference (MGBL-CONFIG-6-DB_COMMIT, MGBL-SYS-5-CONFIG_I,
// SECURITY-LOGIN-6-AUTHEN_SUCCESS, SECURITY-LOGIN-4-AUTHEN_FAILED, SECURITY-SSHD-6-INFO_SUCCESS,
// SECURITY-SSHD-6-INFO_USER_LOGOUT), laid out as XR sends them over syslog (node id, node stamp,
// process, ` : ` after the tag) per public captures; names and addresses invented.
const xr = (proc: string, tag: string, text: string) =>
  `<189>Nov 21 22:10:01 xr1 812: RP/0/RP0/CPU0:Nov 21 22:10:01.691 UTC: ${proc}: %${tag} : ${text}`;
// The node's own stamp (with milliseconds) behind the relay header is the event time.
const base = { platform: P, device: 'xr1', time: '2026-11-21T22:10:01.691Z' };

describe('cisco-iosxr corpus', () => {
  it('reads every corpus line as its case says', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

describe('cisco-iosxr', () => {
  it('yields a command record for a commit, naming the commit id to look the change up by', () => {
    const text = "Configuration committed by user 'netadmin'. Use 'show configuration commit changes 1000000107' to view the changes.";
    expect(run(xr('config[66021]', 'MGBL-CONFIG-6-DB_COMMIT', text)).records).toEqual([
      { ...base, kind: 'command', action: 'command', actor: 'netadmin', command: text },
    ]);
  });

  it('yields a command record for CONFIG_I with user and address', () => {
    expect(run(xr('config[66021]', 'MGBL-SYS-5-CONFIG_I', 'Configured from console by netadmin on vty0 (192.0.2.44)')).records).toEqual([
      { ...base, kind: 'command', action: 'command', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli', command: 'Configured from console by netadmin on vty0 (192.0.2.44)' },
    ]);
  });

  it('yields logins, failed logins and logouts', () => {
    expect(run(xr('SSHD_[66310]', 'SECURITY-SSHD-6-INFO_SUCCESS', "Successfully authenticated user 'netadmin' from '192.0.2.44' on 'vty0'(cipher 'aes128-ctr', mac 'hmac-sha2-256')")).records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(run(xr('exec[66402]', 'SECURITY-LOGIN-6-AUTHEN_SUCCESS', "Successfully authenticated user 'netadmin' from 'console' on 'con0_RP0_CPU0'")).records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netadmin', path: 'cli' },
    ]);
    expect(run(xr('exec[67680]', 'SECURITY-LOGIN-4-AUTHEN_FAILED', "Failed authentication attempt by user 'mallory' from '198.51.100.7' on 'vty4'")).records).toEqual([
      { ...base, kind: 'session', action: 'login.failed', actor: 'mallory', actorAddress: '198.51.100.7', path: 'cli' },
    ]);
    expect(run(xr('SSHD_[66311]', 'SECURITY-SSHD-6-INFO_USER_LOGOUT', "User 'netadmin' from '192.0.2.44' logged out on 'vty0'")).records).toEqual([
      { ...base, kind: 'session', action: 'logout', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
  });

  it('takes the node stamp when the syslog header had none', () => {
    const { records } = run("<189>812: RP/0/RSP0/CPU0:Sep 25 23:40:13.207 UTC: config[66021]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'netadmin'. Use 'show configuration commit changes 1000000107' to view the changes.");
    expect(records[0]).toMatchObject({ time: '2026-09-25T23:40:13.207Z', device: 'unknown', actor: 'netadmin' });
    expect(Date.parse(records[0]!.time)).toBeLessThan(RECEIVED);
  });

  it('reads OpenSSH logins and failed logins relayed by the syslog proxy, and nothing from its other lines', () => {
    const prx = (text: string) => run(xr('ssh_syslog_proxy[1191]', 'SECURITY-SSHD_SYSLOG_PRX-6-INFO_GENERAL', text));
    expect(prx('sshd[55923]: Accepted publickey for netadmin from 192.0.2.44 port 38466 ssh2').records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(prx('sshd[39770]: Failed password for invalid user mallory from 198.51.100.7 port 48906 ssh2').records).toEqual([
      { ...base, kind: 'session', action: 'login.failed', actor: 'mallory', actorAddress: '198.51.100.7', path: 'cli' },
    ]);
    expect(prx('sshd[5062]: Connection closed by 192.0.2.44 port 48960')).toEqual({ records: [], unknown: [] });
    expect(run(xr('ssh_syslog_proxy[1191]', 'SECURITY-SSHD_SYSLOG_PRX-3-ERR_GENERAL', 'sshd[148258]: Read error from remote host 192.0.2.44 port 51530: Connection reset by peer'))).toEqual({ records: [], unknown: [] });
  });

  it('reports unknown SECURITY and MGBL-CONFIG forms, ignores SSHD transport chatter and other facilities', () => {
    expect(run(xr('exec[1]', 'SECURITY-LOGIN-4-NEWFORM', 'x')).unknown).toEqual(['cisco-iosxr:SECURITY-LOGIN-4-NEWFORM']);
    expect(run(xr('SSHD_[1]', 'SECURITY-SSHD-6-INFO_GENERAL', 'Client closes socket connection'))).toEqual({ records: [], unknown: [] });
    expect(run(xr('ifmgr[337]', 'PKT_INFRA-LINK-5-CHANGED', 'Interface Optics0/0/0/1, changed state to Administratively Down'))).toEqual({ records: [], unknown: [] });
  });

  it('is registered as the cisco-iosxr platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
