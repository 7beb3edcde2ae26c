// From one ISE message to normalised records.

import type { AaaRecord, ChangePath, SessionAction, SyslogMessage, Technique } from '../../src/types.js';
import { accountChange, accountedCommand } from '../lib/account-command.js';
import { accountRecord, address, commandRecord, sessionRecord, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';
import { avPair, commandOf, first, type IseMessage } from './fields.js';

const PLATFORM = 'cisco-ise';

/**
 * RADIUS Service-Type values of network access (802.1X, MAB, VPN): users reaching the network,
 * not administrators logging in to a device, so no session records come of them.
 */
const NETWORK_ACCESS = new Set(['Framed', 'Call Check']);

function origin(ise: IseMessage, msg: SyslogMessage): Origin {
  const device =
    first(ise, 'NetworkDeviceName') ?? first(ise, 'NAS-Identifier') ?? first(ise, 'Device IP Address') ??
    first(ise, 'NAS-IP-Address') ?? msg.hostname ?? msg.source ?? 'unknown';
  return { time: recordTime(msg, parseIsoLike(ise.stamp)), device, platform: PLATFORM };
}

function privilegeOf(ise: IseMessage): string | undefined {
  return first(ise, 'Privilege-Level') ?? avPair(ise, 'priv-lvl');
}

export function iseRecords(category: string, ise: IseMessage, msg: SyslogMessage): AaaRecord[] {
  switch (category) {
    case 'CISE_TACACS_Accounting':
      return tacacsAccounting(ise, msg);
    case 'CISE_RADIUS_Accounting':
      return radiusAccounting(ise, msg);
    case 'CISE_Passed_Authentications':
      return authentication(ise, msg, 'login');
    case 'CISE_Failed_Attempts':
      return authentication(ise, msg, 'login.failed');
    case 'CISE_Administrative_and_Operational_Audit':
      return adminAudit(ise, msg);
    default:
      return [];
  }
}

/**
 * Configuration changes (52000 added, 52001 changed, 52002 deleted) to the internal identity
 * store, which ISE's GUI calls "Network Access Users": the accounts devices' TACACS+ and RADIUS
 * logins are checked against, each as much an account on every device it may log in to as a
 * local one. Other object types (log targets, AD joins, NAC servers) are not accounts.
 */
const CONFIG_CHANGE: Readonly<Record<string, AccountChange['action']>> = { 52000: 'account.create', 52001: 'account.modify', 52002: 'account.delete' };
const TECHNIQUE: Readonly<Record<string, Technique>> = { 52000: 'T1136.001', 52001: 'T1098', 52002: 'T1531' };
const INTERNAL_USERS = 'Network Access Users';
/** 60084, an administrator of ISE's own CLI (ADE-OS `username … role admin|user`) added. */
const CLI_USER_ADDED = /^Added user (\S{1,256}) with role: (\S{1,64})/;
const ADMIN_PATHS: Readonly<Record<string, ChangePath>> = { GUI: 'gui', CLI: 'cli' };

function adminAudit(ise: IseMessage, msg: SyslogMessage): AaaRecord[] {
  const who: Who = {
    actor: first(ise, 'AdminName'),
    actorAddress: address(first(ise, 'AdminIPAddress')),
    path: ADMIN_PATHS[first(ise, 'AdminInterface') ?? ''],
  };
  const action = CONFIG_CHANGE[ise.code];
  if (action !== undefined) {
    const target = first(ise, 'ObjectName');
    if (first(ise, 'ObjectType') !== INTERNAL_USERS || !target || first(ise, 'FailureFlag') === 'true') return [];
    return [accountRecord(origin(ise, msg), who, { action, target, technique: TECHNIQUE[ise.code] })];
  }
  if (ise.code === '60084') {
    const added = CLI_USER_ADDED.exec(first(ise, 'OperationMessageText') ?? '');
    if (added) return [accountRecord(origin(ise, msg), who, { action: 'account.create', target: added[1]!, role: added[2]!, technique: 'T1136.001' })];
  }
  return [];
}

function tacacsAccounting(ise: IseMessage, msg: SyslogMessage): AaaRecord[] {
  const o = origin(ise, msg);
  const who: Who = { actor: first(ise, 'User'), actorAddress: address(first(ise, 'Remote-Address')), path: 'tacacs' };
  const flags = first(ise, 'AcctRequest-Flags')?.toLowerCase();
  const raw = commandOf(ise);
  if (raw !== undefined) {
    // With start-stop command accounting the device reports each command twice; the stop is kept.
    if (flags === 'start') return [];
    const command = accountedCommand(raw);
    const out: AaaRecord[] = [commandRecord(o, who, command, privilegeOf(ise))];
    const change = accountChange(command, 'relayed');
    if (change) out.push(accountRecord(o, who, change, command));
    return out;
  }
  const action: SessionAction | undefined =
    flags === 'start' ? 'session.start' : flags === 'stop' ? 'session.stop' : undefined;
  if (!action) return [];
  return [sessionRecord(o, who, action, { privilege: privilegeOf(ise), session: avPair(ise, 'task_id') })];
}

function radiusAccounting(ise: IseMessage, msg: SyslogMessage): AaaRecord[] {
  const status = first(ise, 'Acct-Status-Type');
  const action: SessionAction | undefined =
    status === 'Start' ? 'session.start' : status === 'Stop' ? 'session.stop' : undefined;
  if (!action || NETWORK_ACCESS.has(first(ise, 'Service-Type') ?? '')) return [];
  const who: Who = {
    actor: first(ise, 'UserName') ?? first(ise, 'User-Name'),
    actorAddress: address(first(ise, 'Calling-Station-ID')),
    path: 'radius',
  };
  return [sessionRecord(origin(ise, msg), who, action, { session: first(ise, 'Acct-Session-Id') })];
}

function authentication(ise: IseMessage, msg: SyslogMessage, action: 'login' | 'login.failed'): AaaRecord[] {
  if (NETWORK_ACCESS.has(first(ise, 'Service-Type') ?? '')) return [];
  const path: ChangePath = first(ise, 'Protocol')?.toLowerCase() === 'tacacs' ? 'tacacs' : 'radius';
  const who: Who = {
    actor: first(ise, 'UserName') ?? first(ise, 'User') ?? first(ise, 'User-Name'),
    actorAddress: address(first(ise, 'Remote-Address') ?? first(ise, 'Calling-Station-ID')),
    path,
  };
  return [sessionRecord(origin(ise, msg), who, action, { privilege: privilegeOf(ise) })];
}
