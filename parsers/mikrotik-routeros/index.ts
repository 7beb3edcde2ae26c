// MikroTik RouterOS: configuration pulls (`/export`, `/user print detail`) and local accounts.

import type { Platform } from '../../src/types.js';
import { accounts, redact, ssh } from './config.js';

export const mikrotikRouteros: Platform = {
  id: 'mikrotik-routeros',
  name: 'MikroTik RouterOS',
  ssh,
  accounts,
  redact,
};
