// The recorded FTD sessions this platform pulls (Oxidized's `firelinuxos` model;
// test/pull/corpus.test.ts replays them through the emulator). Neither LINA configuration holds a
// `username` line: no account (FTD's CLI users live in FMC/FDM).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: {
    firelinuxos: {
      comment: '!',
      // firelinuxos.rb drops the first three lines of the configuration (`: Saved`, a blank, `: `),
      // the serial number and hardware lines, and the `: end` trailer.
      join: (text) => text.replace(/^: Saved\r?\n[ \t]*\r?\n:[ \t]*\r?\n/m, ''),
      drops: [/^: (?:Serial Number|Hardware):/, /^: end$/],
    },
  },
  accounts: {
    'firelinuxos#FPR-1010_7.4.2': [],
    'firelinuxos#show_inventory_unsupported': [],
  },
  unknownCommand: () => 'Syntax error: Illegal parameter\n',
};
