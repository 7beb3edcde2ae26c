// Cisco IOS / IOS-XE: configuration pulls and local accounts (config.ts); syslog recognition (syslog.ts).

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';
import { recognise } from './syslog.js';

export const ciscoIos: Platform = {
  id: 'cisco-ios',
  name: 'Cisco IOS / IOS-XE',
  recognise,
  ssh,
  accounts,
  redact,
};
