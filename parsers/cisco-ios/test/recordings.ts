// The recorded IOS sessions this platform pulls (test/pull/corpus.test.ts replays them).

import type { PlatformRecordings } from '../../../test/support/emulator/recordings.js';

export const recordings: PlatformRecordings = {
  models: {
    ios: {
      comment: '!',
      // The peer keeps a `Last configuration change` line only when it names who made the change.
      drops: [/^Building configuration\.\.\.$/, /^Current configuration : \d+ bytes$/, /^! (?:Last|No) configuration change (?:at|since)(?!.*\d+ by \S+$)/],
      rewrites: [[/^\s+expression \S+$/, /^\s+expression <value removed>$/]],
    },
  },
  accounts: {
    'ios#C9200L-24P-4G_17.09.04a': [
      { name: 'oxidized', roles: [], credentials: ['secret'] },
      { name: 'rocks', roles: [], credentials: ['secret'] },
    ],
    'ios#asr920_16.8.1b': [{ name: 'root', roles: [], credentials: ['secret'] }],
    // A 9800 wireless controller: its only `username`s are an AP profile's dot1x and mgmtuser, no local accounts.
    'ios#C9800-L-F-K9_17.06.05': [],
  },
  secrets: { 'ios#asr920_16.8.1b': ['ABCDEFGH1234', 'secret 5 password'] },
};
