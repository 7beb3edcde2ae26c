// ArubaOS, AOS-W mobility controllers and Instant APs: failed management logins (syslog.ts),
// `show running-config` pulls, management users and their secrets (config.ts), auditability
// (audit.ts).

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';
import { offer, recognise } from './syslog.js';

export const arubaAos: Platform = {
  id: 'aruba-aos',
  name: 'ArubaOS (AOS-W, Instant)',
  recognise,
  offer,
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
