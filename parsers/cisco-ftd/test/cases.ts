// Every line of test/corpus/syslog/cisco-ftd/ and what it must yield (see
// test/parsers/cases/types.ts). FTD's `%FTD-` messages are the ASA family's and the cisco-asa
// platform reads them (its 111008, 502101–502103 cases cover FTD's admin records); these lines are
// firewall, file, VPN and AAA-server events, none an administrator's account, command or login.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { lines, none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/cisco-ftd/sekoia-cisco-secure-firewall-ftd.relevant';

export const files = [F];

export const cases: CorpusCase[] = [
  ...none(F, [1, 2, 3, 4, 11, 12, 13, 14], 'connection, file and flow events'),
  ...none(F, [5], 'cut-through proxy (uauth) entry for a network user'),
  ...none(F, [6, 7], 'AAA server authentication and authorisation of a user, whose service is not named: no device login claimed'),
  ...none(F, lines(8, 10), 'remote-access VPN sessions'),
  ...none(F, lines(15, 19), 'remote-access and IKEv2 VPN events'),
];
