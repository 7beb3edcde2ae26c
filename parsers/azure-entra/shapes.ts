// Entra ID (Azure AD) audit events reach syslog in three shapes; this reads each into one form.
// - Azure Monitor diagnostic export (Event Hub): `operationName`, `tenantId`, `time`,
//   `properties: { activityDateTime, result, initiatedBy, targetResources, additionalDetails }`.
// - Microsoft Graph `directoryAudit`: the `properties` content at top level (`activityDisplayName`).
// - Office 365 Management Activity API (unified audit log): `Operation` (`Add user.`),
//   `OrganizationId`, `CreationTime`, `ResultStatus`, `UserId`, `ObjectId`, `ModifiedProperties`,
//   and for cmdlets (`New-MsolUser`) their `Parameters` as `{Name, Value}` pairs.

import { asArray, asObject, field, objectAt, text, textAt, type JsonObject } from '../lib/json-fields.js';

export interface Target {
  type?: string | undefined;
  name?: string | undefined;
  upn?: string | undefined;
  id?: string | undefined;
  /** modifiedProperties: displayName → newValue (JSON-quoted text unwrapped). */
  modified: Map<string, string>;
  /** modifiedProperties: displayName → oldValue: what a removal took away (`Role.DisplayName` of `Remove member from role`). */
  previous: Map<string, string>;
}

export interface AuditEvent {
  operation: string;
  /** `success`, `failure` … lower-cased; undefined when the record does not say. */
  result?: string | undefined;
  tenant?: string | undefined;
  stamp?: string | undefined;
  actor?: string | undefined;
  /** The application that acted (`initiatedBy.app.displayName`), when no user did. */
  actorApp?: string | undefined;
  actorAddress?: string | undefined;
  targets: Target[];
  /** additionalDetails (Graph) or Parameters (O365 cmdlets): key → value. */
  details: Map<string, string>;
  /** O365 records: the object acted on (a UPN for users). */
  objectId?: string | undefined;
}

const MAX_ITEMS = 64;

/** Entra writes modified values as JSON text (`"\"Global Administrator\""`, `["x"]`); the plain text. */
function unwrap(v: string): string {
  let s = v.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1).trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).replace(/\\"/g, '"');
  return s;
}

function pairs(list: unknown, keyName: string, valueName: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of asArray(list).slice(0, MAX_ITEMS)) {
    const o = asObject(item);
    const k = textAt(o, keyName);
    const v = text(field(o, valueName));
    if (k !== undefined && v !== undefined && !out.has(k)) out.set(k, unwrap(v));
  }
  return out;
}

function graphTargets(list: unknown): Target[] {
  return asArray(list).slice(0, MAX_ITEMS).map((item) => {
    const o = asObject(item);
    return {
      type: textAt(o, 'type'),
      name: textAt(o, 'displayName'),
      upn: textAt(o, 'userPrincipalName'),
      id: textAt(o, 'id'),
      modified: pairs(field(o, 'modifiedProperties'), 'displayName', 'newValue'),
      previous: pairs(field(o, 'modifiedProperties'), 'displayName', 'oldValue'),
    };
  });
}

function tenantFromResource(resourceId: string | undefined): string | undefined {
  const m = resourceId === undefined ? null : /^\/tenants\/([^/]{1,64})\//.exec(resourceId);
  return m ? m[1] : undefined;
}

/** Graph / Azure Monitor shapes. */
function fromGraph(o: JsonObject): AuditEvent | undefined {
  const p = objectAt(o, 'properties') ?? o;
  const operation = textAt(o, 'operationName') ?? textAt(p, 'activityDisplayName') ?? textAt(p, 'operationName');
  if (operation === undefined) return undefined;
  const user = objectAt(p, 'initiatedBy', 'user');
  const app = objectAt(p, 'initiatedBy', 'app');
  const details = pairs(field(p, 'additionalDetails'), 'key', 'value');
  return {
    operation,
    result: (textAt(p, 'result') ?? textAt(o, 'result'))?.toLowerCase(),
    tenant: textAt(o, 'tenantId') ?? tenantFromResource(textAt(o, 'resourceId')) ?? details.get('tid'),
    stamp: textAt(p, 'activityDateTime') ?? textAt(o, 'time'),
    actor: textAt(user, 'userPrincipalName') ?? textAt(app, 'displayName') ?? textAt(user, 'displayName'),
    actorApp: user === undefined ? textAt(app, 'displayName') : undefined,
    actorAddress: textAt(user, 'ipAddress') ?? textAt(o, 'callerIpAddress'),
    targets: graphTargets(field(p, 'targetResources')),
    details,
  };
}

/** Office 365 unified audit log shape. */
function fromO365(o: JsonObject): AuditEvent | undefined {
  const op = textAt(o, 'Operation');
  if (op === undefined) return undefined;
  const modified = pairs(field(o, 'ModifiedProperties'), 'Name', 'NewValue');
  const previous = pairs(field(o, 'ModifiedProperties'), 'Name', 'OldValue');
  return {
    // `Add user.` → `Add user`: the same operation names as the Entra audit log.
    operation: op.endsWith('.') ? op.slice(0, -1) : op,
    result: textAt(o, 'ResultStatus')?.toLowerCase(),
    tenant: textAt(o, 'OrganizationId'),
    stamp: textAt(o, 'CreationTime'),
    actor: textAt(o, 'UserId'),
    actorAddress: textAt(o, 'ActorIpAddress') ?? textAt(o, 'ClientIP'),
    targets: [{ type: 'User', upn: textAt(o, 'ObjectId'), modified, previous }],
    details: pairs(field(o, 'Parameters'), 'Name', 'Value'),
    objectId: textAt(o, 'ObjectId'),
  };
}

/**
 * The audit log writes `Update application – Certificates and secrets management` with an en dash;
 * Microsoft's activity reference (and what is copied from it) writes a hyphen: one name.
 */
const spaced = (operation: string): string => (operation.includes(' - ') ? operation.replaceAll(' - ', ' – ') : operation);

export function readAuditEvent(o: JsonObject): AuditEvent | undefined {
  const e = field(o, 'Operation') !== undefined ? fromO365(o) : fromGraph(o);
  if (e) e.operation = spaced(e.operation);
  return e;
}
