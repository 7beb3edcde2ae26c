// Cisco Firepower Threat Defense: pulls of the LINA configuration at the CLISH prompt, its
// accounts and secrets (config.ts), auditability (audit.ts). FTD's syslog is the ASA family
// (`%FTD-…`): the cisco-asa platform reads it.

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';

export const ciscoFtd: Platform = {
  id: 'cisco-ftd',
  name: 'Cisco Firepower Threat Defense',
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
