// MikroTik RouterOS: configuration pulls (`/export`, `/user print detail`), local accounts and their privilege (config.ts); auditability (audit.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';

export const mikrotikRouteros: Platform = {
  id: 'mikrotik-routeros',
  name: 'MikroTik RouterOS',
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
