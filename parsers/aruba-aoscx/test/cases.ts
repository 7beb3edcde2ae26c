// Every line of test/corpus/syslog/aruba-aoscx/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and aruba-aoscx.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const SEKOIA = 'syslog/aruba-aoscx/sekoia-aruba-os-event.relevant';
const ELASTIC = 'syslog/aruba-aoscx/elastic-test-aruba-cx.log.relevant';

export const files = [ELASTIC, SEKOIA];

const P = { platform: 'aruba-aoscx' } as const;
const D = '8360-Primaire';

export const cases: CorpusCase[] = [
  ...none(SEKOIA, [1, 2, 3, 4, 5], 'LLDP, link, spanning-tree and memory events: no account record'),
  ...none(ELASTIC, [1, 2, 5, 6], 'Activate, configuration copy and TPM events: no account record'),
  { file: ELASTIC, line: 3, expect: [{ ...P, kind: 'session', action: 'login', device: '6300-DIST-RDL', actor: 'satori', actorAddress: '127.0.0.1', path: 'cli', time: '2024-08-01T20:35:13.517Z' }] },
  { file: ELASTIC, line: 4, expect: [{ ...P, kind: 'session', action: 'logout', device: '6300-DIST-RDL', actor: 'oxidized', actorAddress: '127.0.0.1', path: 'cli' }] },
  ...none(ELASTIC, [7, 8], 'accounting server list changes: configuration, no account record'),
  { file: ELASTIC, line: 9, expect: [], note: 'a TACACS+ key change prints the key in clear (event 2302): no record, and the stored line is redacted (aruba-aoscx.test.ts)' },
  { file: ELASTIC, line: 10, expect: [{ ...P, kind: 'session', action: 'login.failed', device: D, actor: 'satori', path: 'rest', session: undefined }], note: 'the REST session id is not kept' },
  { file: ELASTIC, line: 11, expect: [{ ...P, kind: 'session', action: 'login', device: D, actor: 'admin', path: 'rest', session: undefined }] },
  { file: ELASTIC, line: 12, expect: [], note: 'REST authorisation of one request: no change named' },
  { file: ELASTIC, line: 13, expect: [{ ...P, kind: 'command', command: 'created', actor: 'admin', path: 'rest' }], note: 'a REST create whose resource the device left out: on the trail, no account named' },
  { file: ELASTIC, line: 14, expect: [
    { ...P, kind: 'command', command: 'deleted /users/user_name', actor: 'admin', path: 'rest' },
    { ...P, kind: 'account', action: 'account.delete', target: 'user_name', actor: 'admin', path: 'rest', technique: 'T1531' },
  ] },
  { file: ELASTIC, line: 15, expect: [
    { ...P, kind: 'command', command: 'modified /users/user_name', actor: 'admin', path: 'rest' },
    { ...P, kind: 'account', action: 'account.modify', target: 'user_name', actor: 'admin', path: 'rest', technique: 'T1098' },
  ] },
  { file: ELASTIC, line: 16, expect: [], note: 'a REST notification subscriber' },
  { file: ELASTIC, line: 17, expect: [{ ...P, kind: 'session', action: 'login.failed', device: D, actor: 'satori', actorAddress: '127.0.0.1', path: 'rest' }] },
  { file: ELASTIC, line: 18, expect: [{ ...P, kind: 'session', action: 'logout', device: D, actor: 'admin', actorAddress: '127.0.0.1', path: 'rest' }] },
  { file: ELASTIC, line: 19, expect: [{ ...P, kind: 'session', action: 'logout', device: D, actor: 'admin', actorAddress: '127.0.0.1', path: 'gui' }], note: 'a Web UI session ended by its idle timeout' },
  { file: ELASTIC, line: 20, expect: [{ ...P, kind: 'account', action: 'account.create', target: 'admininfra', role: 'administrators', actor: 'admin', path: 'cli', technique: 'T1136.001' }] },
  { file: ELASTIC, line: 21, expect: [], note: 'a configuration copied to a TFTP URL' },
];
