// The recorded FTD sessions this platform pulls (Oxidized's `firelinuxos` model;
// test/pull/corpus.test.ts replays them through the emulator). Neither LINA configuration holds a
// `username` line; the CLI users come from `show user`, which the recordings lack (Oxidized does
// not send it): its answer here is the output Cisco's documentation prints
// (test/corpus/configs/cisco-ftd/cisco-cdfmc-show-user.relevant), behind the echo and before the
// CLISH prompt as the recordings show them.

import { readFileSync } from 'node:fs';
import { corpusPath } from '../../../test/support/corpus.js';
import type { ExpectedAccount, PlatformRecordings } from '../../../test/support/emulator/recordings.js';
import type { Exchange } from '../../../test/support/emulator/transcript.js';

export const SHOW_USER: Exchange = {
  command: 'show user',
  response: `show user\n${readFileSync(corpusPath('configs', 'cisco-ftd', 'cisco-cdfmc-show-user.relevant'), 'utf8')}> `,
};

/** The two Local, Config users of the documented `show user`. */
const USERS: ExpectedAccount[] = [
  { name: 'admin', roles: ['Config'], credentials: ['password'] },
  { name: 'johncrichton', roles: ['Config'], credentials: ['password'] },
];

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
    'firelinuxos#FPR-1010_7.4.2': USERS,
    'firelinuxos#show_inventory_unsupported': USERS,
  },
  extra: [SHOW_USER],
  // The user list is aaawatch's own addition: the peer compares the running configuration alone.
  configPart: (raw) => raw.slice(0, raw.search(/^Login\s+UID\s+Auth\b/m)),
  unknownCommand: () => 'Syntax error: Illegal parameter\n',
};
