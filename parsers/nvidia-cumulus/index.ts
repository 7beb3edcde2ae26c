// NVIDIA Cumulus Linux: NVUE (or /etc/passwd) pulls, accounts and secrets (config.ts),
// auditability (audit.ts). Its log lines are Linux's: the linux platform reads them.

import type { Platform } from '../../src/types.js';
import { audit } from './audit.js';
import { accounts, privileges, redact, ssh } from './config.js';

export const nvidiaCumulus: Platform = {
  id: 'nvidia-cumulus',
  name: 'NVIDIA Cumulus Linux',
  ssh,
  accounts,
  redact,
  audit,
  privileges,
};
