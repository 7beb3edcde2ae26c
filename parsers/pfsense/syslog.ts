// pfSense and OPNsense web configurator logins. Forms from the corpus
// (test/corpus/syslog/pfsense, test/corpus/syslog/opnsense):
//   php-fpm[374]: /index.php: webConfigurator authentication error for user 'toto' from: 10.0.0.1
//   php-fpm[99932]: /index.php: Successful login for user 'admin' from: 10.150.150.77 (Local Database)
//   audit 24409 - [meta …] /index.php: Web GUI authentication error for 'toto' from 1.2.3.4   (OPNsense)
// SSH logins and shell account changes are FreeBSD's own lines (sshd, pw): not read here.

import type { AaaRecord, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { address, origin, sessionRecord } from '../lib/record.js';

const PLATFORM = 'pfsense';
const NONE: AaaRecord[] = [];

const FORMS: Array<[RegExp, 'login' | 'login.failed']> = [
  [/^\/[\w./-]*: webConfigurator authentication error for user '([^']*)' from:? (\S+)/, 'login.failed'],
  [/^\/[\w./-]*: Web GUI authentication error for '([^']*)' from:? (\S+)/, 'login.failed'],
  [/^\/[\w./-]*: Successful login for user '([^']*)' from:? (\S+)/, 'login'],
];

// Offered: the web configurator's programs.
export const offer: Offer = { programs: ['php-fpm', 'audit'] };

export function recognise(msg: SyslogMessage, _ctx: RecogniseContext): AaaRecord[] {
  const app = msg.appName;
  if (app !== 'php-fpm' && app !== 'audit') return NONE;
  const text = msg.message;
  if (text.charCodeAt(0) !== 47 /* / */) return NONE;
  for (const [re, action] of FORMS) {
    const m = re.exec(text);
    if (m) return [sessionRecord(origin(msg, PLATFORM), { actor: m[1] || undefined, actorAddress: address(m[2]), path: 'gui' }, action)];
  }
  return NONE;
}
