// VyOS: `show configuration commands` pulls, login users and the secret grammar of `set` commands
// (config.ts), auditability (audit.ts). Its log lines are Debian's (sshd, sudo, useradd): the
// linux platform reads them.

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';

export const vyos: Platform = {
  id: 'vyos',
  name: 'VyOS',
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
