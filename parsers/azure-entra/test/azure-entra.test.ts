import { describe, expect, it } from 'vitest';
import { azureEntra } from '../index.js';
import { platformById } from '../../index.js';
import { redactSecrets } from '../../lib/secrets.js';
import { pantherAgreement, platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { cases, files, probeFiles } from './cases.js';
import { recogniser } from '../../../test/parsers/harness.js';

const P = 'azure-entra';
const run = (line: string) => recogniser(azureEntra.recognise!, P)(line);

describe('azure-entra corpus', () => {
  it('yields the expected records for every corpus record', () => {
    expect(platformCaseProblems(azureEntra, [...files, ...probeFiles], cases)).toEqual([]);
  });

  it('agrees with panther\'s ExpectedResult wherever the meaning matches, and says why elsewhere', () => {
    expect(pantherAgreement(files, cases)).toEqual([]);
  });

  it('is registered', () => {
    expect(platformById(P)).toBe(azureEntra);
  });
});

// Fixtures written for these tests in the three shapes Microsoft documents: the Graph
// `directoryAudit` resource (activityDisplayName, activityDateTime, initiatedBy, targetResources,
// modifiedProperties), its Azure Monitor diagnostic export (operationName, tenantId, properties),
// and the Office 365 Management Activity API schema (Operation `Add member to role.`, ObjectId,
// UserId, ModifiedProperties `Role.DisplayName`; Exchange-style cmdlet records with Parameters).
// Tenant ids, names and addresses invented.
const TENANT = '8d4121ed-0008-406d-bff9-0d5bb312183c';
const T = '2026-11-21T22:10:01.123Z';
const base = { kind: 'account', platform: P, time: T, device: `entra:${TENANT}`, actor: 'admin@contoso.example', path: 'cloud' } as const;

function monitor(operationName: string, targetResources: unknown[], result = 'success'): string {
  return JSON.stringify({
    time: '2026-11-21T22:10:05.000Z', resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`, operationName, category: 'AuditLogs',
    tenantId: TENANT, callerIpAddress: '203.0.113.9',
    properties: {
      activityDateTime: '2026-11-21T22:10:01.1234567+00:00', activityDisplayName: operationName, result, loggedByService: 'Core Directory',
      initiatedBy: { user: { userPrincipalName: 'admin@contoso.example', ipAddress: '203.0.113.9' } }, targetResources,
    },
  });
}
const user = (upn: string, modified: Array<[string, string]> = []) => ({
  id: 'u-1', type: 'User', userPrincipalName: upn,
  modifiedProperties: modified.map(([displayName, newValue]) => ({ displayName, oldValue: null, newValue })),
});
const o365 = (operation: string, extra: Record<string, unknown>) =>
  JSON.stringify({
    CreationTime: '2026-11-21T22:10:01.123', Id: 'x', Operation: operation, OrganizationId: TENANT, RecordType: 8, ResultStatus: 'Success',
    UserType: 0, Workload: 'AzureActiveDirectory', UserId: 'admin@contoso.example', ...extra,
  });

describe('azure-entra directory audit (Azure Monitor and Graph shapes)', () => {
  const withIp = { ...base, actorAddress: '203.0.113.9' };

  it.each([
    ['Add user', [user('eve@contoso.example')], { action: 'account.create', target: 'eve@contoso.example', technique: 'T1136.003' }],
    ['Delete user', [user('eve@contoso.example')], { action: 'account.delete', target: 'eve@contoso.example', technique: 'T1531' }],
    ['Add member to group', [user('eve@contoso.example', [['Group.DisplayName', '"Helpdesk"']])], { action: 'group.add_member', target: 'eve@contoso.example', group: 'Helpdesk', technique: 'T1098.007' }],
    ['Remove member from group', [user('eve@contoso.example', [['Group.DisplayName', '"Helpdesk"']])], { action: 'group.remove_member', target: 'eve@contoso.example', group: 'Helpdesk' }],
    ['Add member to role', [user('eve@contoso.example', [['Role.DisplayName', '"Global Administrator"']])], { action: 'privilege.change', target: 'eve@contoso.example', role: 'Global Administrator', technique: 'T1098.003' }],
    // A role taken away names it as its former value (oldValue), or as PIM's Role target.
    ['Remove member from role', [{ ...user('eve@contoso.example'), modifiedProperties: [{ displayName: 'Role.DisplayName', oldValue: '"Global Administrator"', newValue: null }] }], { action: 'privilege.revoke', target: 'eve@contoso.example', role: 'Global Administrator' }],
    ['Remove member from role in PIM completed (permanent)', [{ id: 'r-1', type: 'Role', displayName: 'Exchange Administrator' }, user('eve@contoso.example')], { action: 'privilege.revoke', target: 'eve@contoso.example', role: 'Exchange Administrator' }],
    ['Add service principal', [{ id: 'sp-1', type: 'ServicePrincipal', displayName: 'additionalCloudCredSP' }], { action: 'account.create', target: 'additionalCloudCredSP', technique: 'T1136.003' }],
    ['Update application – Certificates and secrets management', [{ id: 'app-1', type: 'Application', displayName: 'payroll-api' }], { action: 'account.modify', target: 'payroll-api', technique: 'T1098.001' }],
    ['Add group', [{ id: 'g-1', type: 'Group', displayName: 'Helpdesk', modifiedProperties: [] }], { action: 'group.create', target: 'Helpdesk', group: 'Helpdesk' }],
    ['Delete group', [{ id: 'g-1', type: 'Group', displayName: 'Helpdesk', modifiedProperties: [] }], { action: 'group.delete', target: 'Helpdesk', group: 'Helpdesk' }],
    ['Admin registered security info', [user('eve@contoso.example')], { action: 'account.modify', target: 'eve@contoso.example', technique: 'T1098.005' }],
    ['User registered security info', [user('eve@contoso.example')], { action: 'account.modify', target: 'eve@contoso.example', technique: 'T1098.005' }],
    ['Reset password (self-service)', [user('eve@contoso.example')], { action: 'password.change', target: 'eve@contoso.example', technique: 'T1098' }],
    ['Change password (self-service)', [user('eve@contoso.example')], { action: 'password.change', target: 'eve@contoso.example', technique: 'T1098' }],
  ])('%s', (operation, targets, want) => {
    expect(run(monitor(operation, targets))).toEqual({ records: [{ ...withIp, ...want }], unknown: [] });
  });

  it('reads the credentials operation with a hyphen, as Microsoft\'s activity reference spells it', () => {
    expect(run(monitor('Update application - Certificates and secrets management', [{ id: 'app-1', type: 'Application', displayName: 'payroll-api' }])).records)
      .toEqual([{ ...withIp, action: 'account.modify', target: 'payroll-api', technique: 'T1098.001' }]);
  });

  it('reads the Graph resource at top level; the tenant is unknown there', () => {
    const graph = JSON.parse(monitor('Add user', [user('eve@contoso.example')])) as { properties: Record<string, unknown> };
    expect(run(JSON.stringify(graph.properties)).records).toEqual([
      { ...base, device: 'entra', actorAddress: '203.0.113.9', action: 'account.create', target: 'eve@contoso.example', technique: 'T1136.003' },
    ]);
  });

  it.each([
    ['a failed change', monitor('Add user', [user('eve@contoso.example')], 'failure')],
    ['an eligible PIM assignment', monitor('Add eligible member to role in PIM completed (permanent)', [user('eve@contoso.example')])],
    ['an eligible PIM assignment removed', monitor('Remove eligible member from role in PIM completed (permanent)', [user('eve@contoso.example')])],
    ['a PIM removal only requested', monitor('Remove member from role in PIM requested (permanent)', [user('eve@contoso.example')])],
    ['a read', monitor('Get user', [user('eve@contoso.example')])],
    ['a self-service reset only under way', monitor('Self serve password reset flow activity progress', [user('eve@contoso.example')])],
    ['a target without a name', monitor('Add user', [{ type: 'User' }])],
  ])('yields nothing for %s', (_what, line) => {
    expect(run(line)).toEqual({ records: [], unknown: [] });
  });
});

// A managed identity's certificate rotated by Azure (the real record is
// cloud/elastic-azure-audit-logs-sample.log line 1, read in the corpus test above): either mark
// alone is not Azure's rotation, and stays a credential added to a principal.
describe('azure-entra managed identity credential rotation', () => {
  const MI_NAMES = { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: '"a70a7931-c387-4dce-9f35-fbf95bdcc91e;https://identity.azure.net/N8CUySpCeRFU3iB/x="' };
  const identity = { id: 'sp-mi', type: 'ServicePrincipal', displayName: 'billing-test-wus', modifiedProperties: [MI_NAMES] };
  const app = { id: 'sp-app', type: 'ServicePrincipal', displayName: 'payroll-api', modifiedProperties: [] };
  const byApp = (name: string, target: unknown): string => {
    const o = JSON.parse(monitor('Add service principal credentials', [target])) as { properties: { initiatedBy: unknown } };
    o.properties.initiatedBy = { app: { appId: null, displayName: name, servicePrincipalId: 'b9814691-9ca1-4e55-a1ac-8ef5dd010ec0' } };
    return JSON.stringify(o);
  };
  const added = (target: string, actor: string) => ({ ...base, actor, actorAddress: '203.0.113.9', action: 'account.modify', target, technique: 'T1098.001' });

  it('yields nothing when Azure\'s managed-identity service adds a managed identity\'s credential', () => {
    expect(run(byApp('Managed Service Identity', identity))).toEqual({ records: [], unknown: [] });
  });

  it('reads a credential added to a managed identity by a person', () => {
    expect(run(monitor('Add service principal credentials', [identity])).records).toEqual([added('billing-test-wus', 'admin@contoso.example')]);
  });

  it('reads a credential added to another principal by an application calling itself Managed Service Identity', () => {
    expect(run(byApp('Managed Service Identity', app)).records).toEqual([added('payroll-api', 'Managed Service Identity')]);
  });

  it('reads a credential added to a managed identity by another application', () => {
    expect(run(byApp('deploy-pipeline', identity)).records).toEqual([added('billing-test-wus', 'deploy-pipeline')]);
  });
});

describe('azure-entra Office 365 unified audit log', () => {
  it('reads `Add member to role.` with the role from ModifiedProperties', () => {
    const line = o365('Add member to role.', {
      ObjectId: 'deltatango@contoso.example',
      ModifiedProperties: [{ Name: 'Role.DisplayName', NewValue: 'Global Administrator', OldValue: '' }],
    });
    expect(run(line).records).toEqual([
      { ...base, action: 'privilege.change', target: 'deltatango@contoso.example', role: 'Global Administrator', technique: 'T1098.003' },
    ]);
  });

  it('reads `Add group.` and `Delete group.`, the group named by its DisplayName', () => {
    const made = o365('Add group.', { ObjectId: '0f0c7c4e-0b5a-4d35-9f3c-2d1a6f1f2b1a', ModifiedProperties: [{ Name: 'DisplayName', NewValue: '["Helpdesk"]', OldValue: '[]' }] });
    expect(run(made).records).toEqual([{ ...base, action: 'group.create', target: 'Helpdesk', group: 'Helpdesk' }]);
    expect(run(o365('Delete group.', { ObjectId: 'Helpdesk' })).records).toEqual([{ ...base, action: 'group.delete', target: 'Helpdesk', group: 'Helpdesk' }]);
  });

  it('reads `Add user.` and `Delete user.`', () => {
    expect(run(o365('Add user.', { ObjectId: 'eve@contoso.example' })).records[0]).toMatchObject({ action: 'account.create', target: 'eve@contoso.example' });
    expect(run(o365('Delete user.', { ObjectId: 'eve@contoso.example' })).records[0]).toMatchObject({ action: 'account.delete', target: 'eve@contoso.example' });
  });

  it('reads a New-MsolUser cmdlet record, and its password never reaches a record', () => {
    const line = o365('New-MsolUser', {
      Workload: 'Exchange', RecordType: 1, ObjectId: '',
      Parameters: [{ Name: 'UserPrincipalName', Value: 'eve@contoso.example' }, { Name: 'Password', Value: 'Cleartext1' }],
    });
    const { records } = run(line);
    expect(records).toEqual([{ ...base, action: 'account.create', target: 'eve@contoso.example', technique: 'T1136.003' }]);
    expect(JSON.stringify(records)).not.toContain('Cleartext1');
    expect(redactSecrets(line)).not.toContain('Cleartext1');
  });

  it('yields nothing for a failed operation', () => {
    expect(run(o365('Add user.', { ObjectId: 'eve@contoso.example', ResultStatus: 'Failed' })).records).toEqual([]);
  });
});

describe('azure-entra hostile input', () => {
  it('never throws', () => {
    for (const text of [
      '{"operationName":{"__proto__":1}}',
      '{"operationName":"Add user","properties":{"targetResources":"x","initiatedBy":[]}}',
      '{"Operation":"Add member to role.","ModifiedProperties":[null,1,{"Name":"Role.DisplayName"}]}',
      `{"Operation":"Add user.","ObjectId":"${'x'.repeat(100_000)}"}`,
      '{"activityDisplayName":',
    ]) {
      expect(() => run(text)).not.toThrow();
    }
  });
});
