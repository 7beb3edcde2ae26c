// Cisco IOS-XR: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const ciscoIosxr: Platform = {
  id: 'cisco-iosxr',
  name: 'Cisco IOS-XR',
  recognise,
  ssh,
  accounts,
  redact,
};
