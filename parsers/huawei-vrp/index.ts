// Huawei VRP. For now only the header forms its devices send (header.ts), so their hostname and
// time survive the shared scanner. Not here yet, and to come with the next wave of platforms:
// - syslog recognition (`SHELL/5/CMDRECORD` command records, the `AAA/…` local-user messages,
//   logins), so a Huawei line yields no record yet;
// - `ssh` (session profile, `display current-configuration`), `accounts` (`local-user NAME
//   password irreversible-cipher X`, `local-user NAME privilege level N`), `privileges`, `audit`;
// - its secret grammar (`redact`), which the redaction rework brings to every platform.
// Until then no device can be pulled as `huawei-vrp`.

import type { Platform } from '../../src/types.js';
import { header } from './header.js';

export const huaweiVrp: Platform = {
  id: 'huawei-vrp',
  name: 'Huawei VRP',
  header,
};
