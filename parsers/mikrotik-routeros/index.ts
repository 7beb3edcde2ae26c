// MikroTik RouterOS: configuration pulls (`/export`, `/user print detail`), local accounts and their privilege (config.ts); auditability (audit.ts); logins from its log (syslog.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const mikrotikRouteros: Platform = {
  id: 'mikrotik-routeros',
  name: 'MikroTik RouterOS',
  ssh,
  accounts,
  redact,
  audit,
  privileges,
  offer,
  recognise,
};
