// Juniper Junos: configuration pulls, local accounts and their privilege (config.ts); auditability (audit.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, resolvedRoles, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const juniperJunos: Platform = {
  id: 'juniper-junos',
  name: 'Juniper Junos',
  recognise,
  offer,
  ssh,
  accounts,
  resolvedRoles,
  redact,
  audit,
  privileges,
};
