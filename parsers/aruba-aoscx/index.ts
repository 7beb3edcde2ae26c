// HPE Aruba AOS-CX: event-log records of logins, REST writes and user changes (syslog.ts),
// `show running-config` pulls, local users and their secret grammar (config.ts), auditability
// (audit.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const arubaAoscx: Platform = {
  id: 'aruba-aoscx',
  name: 'HPE Aruba AOS-CX',
  recognise,
  offer,
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
