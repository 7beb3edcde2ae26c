// Fortinet FortiOS: configuration pulls, local accounts and their privilege (config.ts); auditability (audit.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, resolvedRoles, roleStatements, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const fortinetFortios: Platform = {
  id: 'fortinet-fortios',
  name: 'Fortinet FortiOS',
  recognise,
  offer,
  ssh,
  accounts,
  resolvedRoles,
  roleStatements,
  redact,
  audit,
  privileges,
};
