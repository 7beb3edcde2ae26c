// pfSense/OPNsense secret forms: config.xml elements that hold a secret (`<password>`, `<bcrypt-hash>`,
// `<bindpw>`, `<rocommunity>`, `<prv>`, `<pre-shared-key>`, `<api_secret>`, `<otp_seed>`, TLS keys …),
// the element's text up to the next tag, as a configuration or a logged configuration change shows it.

import { form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

/** Element names whose text is a secret (what config.ts's redaction replaces, CDATA aside). */
export const SECRET_ELEMENT = String.raw`(?:[\w-]*?(?:password|passwd|secret|bindpw|psk|community)|[\w-]+-hash|radiuskey\d*|otp_seed|prv|pre-shared-key|shared_key|tls|tlsauth_key|auth_key|api_secret)`;

// An element's text that is a BGP community (`65000:100`) is no SNMP community.
export const pfsenseSecrets: SecretGrammar = [
  needing(form(['pass', 'secret', 'bindpw', 'psk', 'community', '-hash', 'radiuskey', 'otp_seed', 'prv', 'pre-shared-key', 'shared_key', 'tls', 'auth_key'],
    rx()`<${SECRET_ELEMENT}(?:\s[^<>]*)?>(?!\d+:\d+<)(?<v>[^<\s](?:[^<]*[^<\s])?)</`), ['</']),
];
