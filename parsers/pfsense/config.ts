// pfSense and OPNsense configuration (`config.xml`, read over an exec channel): users and groups
// of `<system>`, and the secret grammar of the XML. OPNsense is a fork of pfSense and keeps its
// `config.xml` schema for users and groups. Sources: the Oxidized recordings `pfsense#CE_2.7.2`,
// `opnsense#nano_23.7`, `opnsense#nano_24.7`, Oxidized's pfsense.rb and opnsense.rb
// (docs/notes/platforms.md, "pfSense and OPNsense").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { REDACTED, addCredential, addRole, redactUnambiguous, splitLines } from '../lib/config-text.js';
import { SECRET_ELEMENT } from './secrets.js';

export const ssh: SessionProfile = {
  prompt: /^[\w.@-]{1,64}[:\w/~ -]*[#$%>] ?$/,
  setup: [],
  // pfSense keeps the file in /cf/conf (/conf links to it on full installs); OPNsense in /conf.
  configCommands: [['cat /cf/conf/config.xml', 'cat /conf/config.xml']],
  exec: true,
  errors: [/^cat: .*: No such file or directory/m, /^cat: .*: Permission denied/m, /^[\w./-]+: [Cc]ommand not found\.?$/m],
  volatile: [
    // Every save records who saved it, when and why: a change only in that is no change.
    /^\s*<revision>[\s\S]*?<\/revision>\n/gm,
  ],
  complete: /<\/(?:pfsense|opnsense)>/,
};

/**
 * Elements whose text is a secret: account hashes (`bcrypt-hash`, `sha512-hash`, OPNsense
 * `password`), TOTP seeds, certificate and CA private keys (`prv`, base64 PEM: pfsense.rb leaves
 * them in), SNMP communities, IPsec and RADIUS/LDAP secrets, OpenVPN shared and TLS keys, CARP
 * passwords, API secrets (`SECRET_ELEMENT`, in secrets.ts, where the gate reads it too). The
 * text runs to the next `<` (XML escapes it in text), or through CDATA sections: never a lazy
 * scan to a closing tag that may not come.
 */
const SECRET = new RegExp(String.raw`(<(${SECRET_ELEMENT})(?:\s[^>]*)?>)(?!<\/)([^<]*(?:<!\[CDATA\[[\s\S]*?\]\]>[^<]*)*)(<\/\2>)`, 'g');

/** The configuration with every secret element's text replaced (a flag like `<passwordauth>1` too: harmless). */
export function redact(configText: string): string {
  const out = configText.replace(SECRET, (whole, open: string, _name: string, value: string, close: string) =>
    value.trim() === '' || value === REDACTED ? whole : open + REDACTED + close,
  );
  return splitLines(out).map(redactUnambiguous).join('\n');
}

/** The text of the first `<name>` child of an element body, CDATA and entities undone. */
function child(body: string, name: string): string | undefined {
  return children(body, name)[0];
}

function children(body: string, name: string): string[] {
  const re = new RegExp(String.raw`<${name}>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))</${name}>`, 'g');
  return [...body.matchAll(re)].map((m) => (m[1] !== undefined ? m[1] : decode(m[2] ?? '')).trim());
}

function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The `<system>` element's body (the first, top-level one). */
function systemOf(configText: string): { body: string; start: number } | undefined {
  const open = /<system>/.exec(configText);
  if (!open) return undefined;
  const end = configText.indexOf('</system>', open.index);
  return { body: configText.slice(open.index, end < 0 ? configText.length : end), start: open.index };
}

/**
 * `<tag>` blocks with element content (`<group>\n <name>…`), not `<group>admins</group>` text.
 * Each opening tag is matched to the next closing one by position, so text with many unclosed tags
 * costs one pass, not one per tag.
 */
function blocks(body: string, tag: string): string[] {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const out: string[] = [];
  let at = body.indexOf(open);
  while (at >= 0) {
    const end = body.indexOf(close, at + open.length);
    if (end < 0) break;
    if (/^\s*\n/.test(body.slice(at + open.length, at + open.length + 64))) out.push(body.slice(at, end + close.length));
    at = body.indexOf(open, at + open.length);
  }
  return out;
}

/**
 * The users of `<system>`: their groups (pfSense `<groupname>`, and every `<group>` whose
 * `<member>` lists the user's uid, the only link OPNsense writes), the credential (a password hash
 * is `secret`, `<authorizedkeys>` a key), and privilege 15 when the user or one of its groups holds
 * `page-all` (every page of the web configurator: full administration).
 */
export function accounts(configText: string): LocalAccount[] {
  const system = systemOf(configText);
  if (!system) return [];
  const groups = blocks(system.body, 'group').map((g) => ({ name: child(g, 'name') ?? '', members: children(g, 'member'), privs: children(g, 'priv') }));
  const out: LocalAccount[] = [];
  for (const block of blocks(system.body, 'user')) {
    const name = child(block, 'name');
    if (!name) continue;
    const uid = child(block, 'uid');
    const account: LocalAccount = { name, roles: [], credentials: [], lines: splitLines(redact(block)).map((l) => l.trimEnd()) };
    for (const g of children(block, 'groupname')) addRole(account, g);
    for (const g of groups) if (uid !== undefined && g.members.includes(uid)) addRole(account, g.name);
    const privs = [...children(block, 'priv'), ...groups.filter((g) => account.roles.includes(g.name)).flatMap((g) => g.privs)];
    if (privs.includes('page-all')) account.privilege = '15';
    if (child(block, 'bcrypt-hash') || child(block, 'sha512-hash') || child(block, 'md5-hash') || child(block, 'password')) addCredential(account, 'secret');
    if (child(block, 'authorizedkeys')) addCredential(account, 'key');
    if (account.credentials.length === 0) addCredential(account, 'none');
    out.push(account);
  }
  return out;
}

/** `admins` is the built-in group with `page-all`; any other group ranks by the privileges it holds (read into each account). */
export const privileges: PrivilegeScheme = { roleRanks: { admins: 15 }, roleWord: 'group' };
