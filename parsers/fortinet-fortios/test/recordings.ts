// The recorded FortiGate sessions this platform pulls (test/pull/corpus.test.ts replays them).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: { fortigate: { comment: '#', drops: [/^#conf_file_ver=/] } },
  accounts: {
    'fortigate#FortiGate-3001F_7.4.8_HA': [],
    'fortigate#FortiGate-501E_vdomHAdown': [],
    'fortigate#FortiGate-91G_7.4.7': [{ name: 'oxidized', roles: ['super_admin'], credentials: ['password'] }],
    'fortigate#FortiGate-91G_7.4.7_autoupdate': [],
  },
};
