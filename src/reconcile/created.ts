// `account-created`: raised the moment a stored record shows an account being created or given
// privilege — seconds after the syslog line, not at the next pull. Its severity says whether the
// change was expected: low when an authorised administrator made it inside a change window (or
// an automation account, whose changes are expected at any time), medium when one of the two
// fails, high when neither holds — and critical when it grants full administration (UID 0,
// privilege 15, a superuser role or group) and either fails (src/reconcile/severity.ts).

import type { Attribution } from './attribution.js';
import type { RosterIndex } from './evaluate.js';
import type { NewFinding, Severity } from './findings.js';
import type { StoredRecord } from './model.js';
import { grantsSuperuser } from './privilege.js';
import type { DeviceRef } from './scope.js';
import { criticalBecause } from './severity.js';
import { keyOf, remembered } from './remembered.js';
import { printable } from './text.js';

/** Records that create an account or give one privilege. */
export function isCreation(r: StoredRecord): boolean {
  if (r.kind !== 'account' || r.target === undefined) return false;
  if (r.action === 'account.create' || r.action === 'privilege.change' || r.action === 'group.add_member') return true;
  return r.action === 'account.modify' && (r.privilege !== undefined || r.role !== undefined);
}

interface CreationJudgement {
  severity: Severity;
  /** Why, for the summary: `jdoe is an authorised administrator, inside change window "…"`. */
  because: string;
}

const grants = remembered<boolean>(4096);

/** Whether the record grants full administration, on the device's platform or the record's own. */
export function recordGrantsSuperuser(r: StoredRecord, device: DeviceRef): boolean {
  return grants(keyOf([device.platform, r.platform, r.privilege, r.role, r.group]), () => {
    const values = [r.role, r.group].filter((v): v is string => v !== undefined);
    return grantsSuperuser(device.platform, r.privilege, values) || (r.platform !== device.platform && grantsSuperuser(r.platform, r.privilege, values));
  });
}

/** How expected the change was, from who made it and when, and what it grants. */
function judgeCreation(r: StoredRecord, device: DeviceRef, roster: RosterIndex | undefined, attribution: Attribution): CreationJudgement {
  // The attribution's actor: the record's, or (a record naming no one) the one whose commands of the same change name the account.
  const by = attribution.actor;
  const actor = by ? printable(by) : 'an unnamed actor';
  const superuser = recordGrantsSuperuser(r, device);
  const window = attribution.window;
  if (!roster) {
    const critical = criticalBecause({ superuser, logged: true, byAdministrator: undefined, inWindow: window !== undefined });
    const because = 'no roster is configured to say who may create accounts';
    return critical ? { severity: 'critical', because: `${because}; it grants full administrative rights` } : { severity: 'medium', because };
  }
  if (roster.isAutomation(by, device)) return { severity: 'low', because: `${actor} is an automation account` };
  const admin = roster.isAdministrator(by, device);
  const who = admin ? `${actor} is an authorised administrator` : `${actor} is not an authorised administrator`;
  const when = window ? `inside change window "${window.name}"` : 'outside any change window';
  const critical = criticalBecause({ superuser, logged: true, byAdministrator: admin, inWindow: window !== undefined });
  const severity: Severity = critical ? 'critical' : admin && window ? 'low' : admin || window ? 'medium' : 'high';
  return { severity, because: critical ? `${who}, ${when}, granting full administrative rights` : `${who}, ${when}` };
}

/** The finding for a creation record, with its attribution. */
export function creationFinding(r: StoredRecord, device: DeviceRef, roster: RosterIndex | undefined, attribution: Attribution): NewFinding {
  const j = judgeCreation(r, device, roster, attribution);
  const what = r.action === 'account.create' ? 'account created' : r.action === 'group.add_member' ? 'account added to a group' : 'account given privilege';
  return {
    kind: 'account-created',
    severity: j.severity,
    device: device.name,
    account: r.target!,
    summary: `${what} on ${printable(device.name)}: ${printable(r.target!)} by ${attribution.actor ? printable(attribution.actor) : 'an unnamed actor'} (${j.because})`,
    technique: r.technique ?? (r.action === 'account.create' ? 'T1136.001' : 'T1098'),
    attribution: attribution.sentence,
    evidence: { events: attribution.evidence.events },
    at: r.time,
  };
}
