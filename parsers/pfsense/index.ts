// pfSense and OPNsense (one platform: OPNsense keeps pfSense's config.xml schema for users and
// groups): web configurator logins (syslog.ts), config.xml pulls over an exec channel, users,
// groups and the XML's secrets (config.ts), auditability (audit.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const pfsense: Platform = {
  id: 'pfsense',
  name: 'pfSense / OPNsense',
  recognise,
  offer,
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
