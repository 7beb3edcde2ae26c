// FortiManager: administrator logins and object and script changes from its event logs
// (syslog.ts), `show` pulls with administrators under `config system admin user` and their secrets
// (config.ts), auditability (audit.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const fortinetFortimanager: Platform = {
  id: 'fortinet-fortimanager',
  name: 'Fortinet FortiManager',
  recognise,
  offer,
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
