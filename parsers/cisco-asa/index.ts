// Cisco ASA: configuration pulls, local accounts and their privilege (config.ts); auditability (audit.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const ciscoAsa: Platform = {
  id: 'cisco-asa',
  name: 'Cisco ASA',
  recognise,
  offer,
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
