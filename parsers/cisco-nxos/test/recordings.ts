// The recorded NX-OS sessions this platform pulls (test/pull/corpus.test.ts replays them).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: { nxos: { comment: '!', drops: [/^!Time: /] } },
  accounts: {
    'nxos#C93180YC-FX3J_10.4.5': [],
    'nxos#dummy_no_show_inventory_all': [],
    'nxos#N5548_7.3.13': [],
  },
};
