// Auditability read from real configurations (the corpus's recorded devices, redacted as pulls
// store them) and from the configuration lines the vendors document for logging to a collector
// (the same lines the README tells users to apply).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { junosSetLines } from '../../parsers/juniper-junos/set-lines.js';
import { auditability, type AuditCheck } from '../../src/reconcile/auditability.js';
import { corpusPath } from '../support/corpus.js';

const HERE = ['192.0.2.10'];

function corpus(file: string, platform: string): string {
  // Pulls store configurations redacted; the checks read what is stored.
  return platformById(platform)!.redact!(readFileSync(corpusPath('ssh-sessions', file), 'utf8'));
}

const verdicts = (checks: AuditCheck[]): Record<string, boolean> => Object.fromEntries(checks.map((c) => [c.check, c.ok]));
const detail = (checks: AuditCheck[], name: string): string => checks.find((c) => c.check === name)!.detail;

describe('recorded devices (corpus)', () => {
  it('IOS-XE C9200: nothing that makes it auditable', () => {
    const c = auditability('cisco-ios', corpus('ios#C9200L-24P-4G_17.09.04a#output.txt', 'cisco-ios'), HERE);
    expect(verdicts(c)).toEqual({ 'command-accounting': false, 'config-logging': false, 'logging-host': false });
    expect(detail(c, 'config-logging')).toBe('configuration commands are not sent to syslog: missing archive › log config');
  });

  it('IOS ASR920: command accounting in block form; an archive without logging enable or notify syslog; a logging host elsewhere', () => {
    const c = auditability('cisco-ios', corpus('ios#asr920_16.8.1b#output.txt', 'cisco-ios'), HERE);
    expect(verdicts(c)).toEqual({ 'command-accounting': true, 'config-logging': false, 'logging-host': false });
    expect(detail(c, 'config-logging')).toBe('configuration commands are not sent to syslog: missing logging enable, notify syslog contenttype plaintext');
    expect(detail(c, 'logging-host')).toBe('logs to 111.111.111.111, not to this collector (192.0.2.10)');
    // Without collector addresses the host cannot be compared, and that is said.
    expect(auditability('cisco-ios', corpus('ios#asr920_16.8.1b#output.txt', 'cisco-ios'), []).find((x) => x.check === 'logging-host')).toEqual({
      check: 'logging-host', ok: true, detail: 'logs to 111.111.111.111 (collector addresses not configured, so not compared)',
    });
  });

  it('Junos SRX: interactive-commands to a local file only', () => {
    const c = auditability('juniper-junos', corpus('junos#srx300_22.4#output.txt', 'juniper-junos'), HERE);
    expect(verdicts(c)).toEqual({ 'command-accounting': false, 'config-logging': false, 'logging-host': false });
    expect(detail(c, 'config-logging')).toBe('no `set system syslog host … interactive-commands any`: commands reach local files only');
  });

  it('ASA: logging enabled, but no trap level and no host', () => {
    const c = auditability('cisco-asa', corpus('asa#5512_9.12-4-67_single-context#output.txt', 'cisco-asa'), HERE);
    expect(verdicts(c)).toEqual({ 'command-accounting': false, 'config-logging': false, 'logging-host': false });
    expect(detail(c, 'config-logging')).toBe('missing `logging trap notifications` (or higher): without it no host receives anything');
  });

  it('FortiGate, NX-OS, EOS, RouterOS as recorded: no syslog host', () => {
    expect(verdicts(auditability('fortinet-fortios', corpus('fortigate#FortiGate-91G_7.4.7#output.txt', 'fortinet-fortios'), HERE))).toEqual({ 'config-logging': true, 'logging-host': false });
    expect(verdicts(auditability('cisco-nxos', corpus('nxos#C93180YC-FX3J_10.4.5#output.txt', 'cisco-nxos'), HERE))['logging-host']).toBe(false);
    expect(verdicts(auditability('arista-eos', corpus('eos#DCS-7050SX3-48YC8_4.29.2F#output.txt', 'arista-eos'), HERE))['config-logging']).toBe(false);
    expect(verdicts(auditability('mikrotik-routeros', corpus('routeros#CHR_7.16#output.txt', 'mikrotik-routeros'), HERE))).toEqual({ 'config-logging': false, 'logging-host': false });
  });
});

describe('the documented configuration lines', () => {
  it('IOS: archive log config with notify syslog, command accounting, logging host (Cisco configuration guides)', () => {
    const config = [
      'aaa new-model',
      'aaa accounting commands 15 default start-stop group tacacs+',
      'logging host 192.0.2.10 transport udp port 5514',
      'archive',
      ' log config',
      '  logging enable',
      '  notify syslog contenttype plaintext',
      '  hidekeys',
    ].join('\n');
    expect(verdicts(auditability('cisco-ios', config, HERE))).toEqual({ 'command-accounting': true, 'config-logging': true, 'logging-host': true });
    // Logging switched off, or trapped below the level of the configuration records.
    expect(detail(auditability('cisco-ios', config + '\nno logging on', HERE), 'config-logging')).toContain('`no logging on`');
    expect(detail(auditability('cisco-ios', config + '\nlogging trap warnings', HERE), 'config-logging')).toContain('`logging trap warnings` drops %PARSER-5-CFGLOG_LOGGEDCMD');
  });

  it('EOS: command accounting to the log and a TACACS+ group (Arista "Using AAA to log all commands")', () => {
    const config = ['logging host 192.0.2.10 5514 protocol tcp', 'aaa accounting commands all default start-stop logging group tacacs+', 'aaa accounting exec default start-stop logging'].join('\n');
    expect(verdicts(auditability('arista-eos', config, HERE))).toEqual({ 'command-accounting': true, 'config-logging': true, 'logging-host': true });
  });

  it('Junos: interactive-commands to a syslog host, TACACS+ accounting, in set and curly form; inactive statements do not count', () => {
    const set = [
      'set system syslog host 192.0.2.10 port 5514',
      'set system syslog host 192.0.2.10 any notice',
      'set system syslog host 192.0.2.10 interactive-commands any',
      'set system accounting events [ login change-log interactive-commands ]',
      'set system accounting destination tacplus server 192.0.2.20 secret "$9$xyz"',
    ].join('\n');
    expect(verdicts(auditability('juniper-junos', set, HERE))).toEqual({ 'command-accounting': true, 'config-logging': true, 'logging-host': true });
    const curly = ['system {', '    syslog {', '        inactive: host 192.0.2.10 {', '            interactive-commands any;', '        }', '        file messages {', '            any notice;', '        }', '    }', '}'];
    expect(junosSetLines(curly)).toEqual(['system syslog file messages any notice']);
    const active = curly.map((l) => l.replace('inactive: ', ''));
    expect(junosSetLines(active)).toEqual(['system syslog host 192.0.2.10 interactive-commands any', 'system syslog file messages any notice']);
    expect(verdicts(auditability('juniper-junos', active.join('\n'), HERE))).toMatchObject({ 'config-logging': true, 'logging-host': true });
  });

  it('ASA: logging enable, trap informational, a host on an interface, command accounting', () => {
    const config = ['logging enable', 'logging timestamp', 'logging trap informational', 'logging host inside 192.0.2.10 17/5514', 'aaa accounting command TACACS'].join('\n');
    expect(verdicts(auditability('cisco-asa', config, HERE))).toEqual({ 'command-accounting': true, 'config-logging': true, 'logging-host': true });
  });

  it('NX-OS, FortiOS, RouterOS', () => {
    expect(verdicts(auditability('cisco-nxos', 'aaa accounting default group TACACS\nlogging level aaa 6\nlogging server 192.0.2.10 6 use-vrf management', HERE))).toEqual({
      'command-accounting': true, 'config-logging': true, 'logging-host': true,
    });
    const forti = ['config log syslogd setting', '    set status enable', '    set server "192.0.2.10"', 'end'].join('\n');
    expect(verdicts(auditability('fortinet-fortios', forti, HERE))).toEqual({ 'config-logging': true, 'logging-host': true });
    expect(verdicts(auditability('fortinet-fortios', forti + '\nconfig log eventfilter\n    set system disable\nend', HERE))['config-logging']).toBe(false);
    const ros = ['/system logging action', 'add name=siem remote=192.0.2.10 target=remote', '/system logging', 'add action=siem topics=system,info'].join('\n');
    expect(verdicts(auditability('mikrotik-routeros', ros, HERE))).toEqual({ 'config-logging': true, 'logging-host': true });
  });

  it('a platform without configuration checks has none', () => {
    expect(auditability('linux', 'anything', HERE)).toEqual([]);
  });
});
