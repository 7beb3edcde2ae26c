// H3C Comware (and HPE Comware switches): Comware 5's header form (header.ts), typed commands
// with the local-user changes they make, also when sent one by one (commandReader), logins and
// failures (syslog.ts), `display current-configuration` pulls, local users and their secrets
// (config.ts), auditability (audit.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { header } from './header.js';
import { commandReader, offer, recognise } from './syslog.js';

export const h3cComware: Platform = {
  id: 'h3c-comware',
  name: 'H3C Comware',
  header,
  recognise,
  offer,
  ssh,
  accounts,
  redact,
  audit,
  commandReader,
  privileges,
};
