// Cisco NX-OS RESTCONF agent records in the accounting log. Format: Cisco Nexus 9000 Series NX-OS
// Programmability Guide 10.5(x), chapter "Accounting Log for RESTCONF Agent"
// (https://cisco.com/c/en/us/td/docs/dcn/nx-os/nexus9000/105x/programmability/cisco-nexus-9000-series-nx-os-programmability-guide-105x/chapter-2.html).
// A write (POST, PUT, PATCH, DELETE) is accounted as two entries under one session id and user
// (a failed one may leave only one):
//
//   cmd=(RESTCONF:POST),sourceIp=[192.168.1.2], url=[/restconf/data/Cisco-NX-OS-device:System/…],payload=[<descr>test</descr>] (SUCCESS)
//   cmd=(COMMIT),database=[running],configMo=[<topSystem …>…</topSystem>] (SUCCESS)
//
// The request names who, from where and what; the COMMIT (or ABORT) entry repeats the same change
// as the object tree applied, with no source address. Like the module's other echoes (`(REDIRECT)`,
// the OS-level `New user added` lines) the COMMIT entry yields nothing. Payload and object tree are
// up to 3K characters each, as received, and may hold secrets (`<pwd>`, `"pwd"`): neither is ever
// put into a record. What a request does to local accounts is read from its URL and payload
// (Cisco-NX-OS-device `System/userext-items/user-items/User-list`, keyed by `name`; roles under
// `userdomain-items/UserDomain-list/role-items/UserRole-list`), rewritten as the equivalent
// `username …` command only so the shared CLI interpreter (parsers/lib/account-command.ts) decides
// the action and technique; that rewrite is never stored.

/** One `(RESTCONF:METHOD)` request as accounted. */
export interface RestconfRequest {
  method: string;
  sourceIp?: string | undefined;
  url?: string | undefined;
  payload?: string | undefined;
}

const METHOD = /^\(RESTCONF:([A-Za-z]{1,16})\)/;
const PAYLOAD_MARK = /\],[ \t]*payload=\[/g;

/**
 * The request of a `(RESTCONF:…)` accounting entry (status already removed), or undefined. Read by
 * position, not by one regular expression: a payload is free text (`]`, `,payload=[` …) and must
 * not make the scan quadratic.
 */
export function parseRestconf(entry: string): RestconfRequest | undefined {
  const m = METHOD.exec(entry);
  if (!m) return undefined;
  const req: RestconfRequest = { method: m[1]!.toUpperCase() };
  const ipAt = entry.indexOf(',sourceIp=[', m[0].length);
  if (ipAt !== m[0].length) return req; // not in the documented order: the method alone, never the rest
  const ipEnd = entry.indexOf(']', ipAt + 11);
  if (ipEnd < 0) return req;
  req.sourceIp = entry.slice(ipAt + 11, ipEnd).trim();
  const urlMark = /^,\s*url=\[/.exec(entry.slice(ipEnd + 1, ipEnd + 16));
  if (!urlMark) return req;
  const urlAt = ipEnd + 1 + urlMark[0].length;
  PAYLOAD_MARK.lastIndex = urlAt;
  const mark = PAYLOAD_MARK.exec(entry);
  const urlEnd = mark ? mark.index : entry.lastIndexOf(']');
  if (urlEnd < urlAt) return req;
  req.url = entry.slice(urlAt, urlEnd).trim();
  if (mark) {
    const from = mark.index + mark[0].length;
    const to = entry.endsWith(']') ? entry.length - 1 : entry.length; // a payload cut short keeps what arrived
    req.payload = entry.slice(from, Math.max(from, to));
  }
  return req;
}

/** `(COMMIT),database=[…],configMo=[…]` / `(ABORT),…`: the applied side of a RESTCONF request. */
export function isTransaction(entry: string): boolean {
  return /^\((?:COMMIT|ABORT)\)(?:,|\s*$)/.test(entry);
}

const URL_MAX = 1024;

/** What the command record says: `RESTCONF POST /restconf/data/…`, the URL without query or payload. */
export function restconfCommand(req: RestconfRequest): string {
  if (!req.url) return `RESTCONF ${req.method}`;
  let url = req.url;
  const q = url.search(/[?#]/);
  if (q >= 0) url = url.slice(0, q);
  if (url.length > URL_MAX) url = url.slice(0, URL_MAX);
  return url ? `RESTCONF ${req.method} ${url}` : `RESTCONF ${req.method}`;
}

// ---------------------------------------------------------------------------------------------
// Local users in the URL and payload

/** A URL path segment: the node name (module prefix removed) and its list key, if any. */
interface Segment {
  name: string;
  key?: string | undefined;
}

const stripPrefix = (name: string): string => name.slice(name.lastIndexOf(':') + 1);

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The data-resource path of a RESTCONF URL (`/restconf/data/Cisco-NX-OS-device:System/…`). */
function urlSegments(url: string): Segment[] | undefined {
  const at = url.search(/\/data(?:\/|$)/);
  if (at < 0) return undefined;
  let rest = url.slice(at + 5);
  const q = rest.search(/[?#]/);
  if (q >= 0) rest = rest.slice(0, q);
  const out: Segment[] = [];
  for (const part of rest.split('/')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = stripPrefix(decode(eq < 0 ? part : part.slice(0, eq)));
    out.push(eq < 0 ? { name } : { name, key: decode(part.slice(eq + 1)) });
  }
  return out;
}

/** Where local users live in the Cisco-NX-OS-device model. */
const USERS_PATH = ['System', 'userext-items', 'user-items'];

/** A leaf of the payload: element names from the payload's top, and its text. */
interface Leaf {
  path: string[];
  value: string;
  /** Instance ids of the path's elements (a list entry repeated in one payload gets a new id each time). */
  ids: number[];
}

const PAYLOAD_MAX = 16_384;
const LEAVES_MAX = 2048;
/** Deeper than any NX-OS model path; a payload nested further is read no further. */
const DEPTH_MAX = 64;

/** Leaves of an XML payload (`<User-list><name>bob</name>…`); tolerant of a payload cut short. */
function xmlLeaves(text: string): Leaf[] {
  const out: Leaf[] = [];
  const stack: Array<{ name: string; id: number; start: number; parent: boolean }> = [];
  let next = 0;
  const re = /<(\/?)([A-Za-z_][\w.:-]*)[^<>]*?(\/?)>|<[!?][^>]*>/g;
  for (let m = re.exec(text); m !== null && out.length < LEAVES_MAX; m = re.exec(text)) {
    if (m[2] === undefined) continue; // comment, declaration, processing instruction
    const name = stripPrefix(m[2]);
    if (m[1]) {
      const at = stack.map((f) => f.name).lastIndexOf(name);
      if (at < 0) continue;
      const frame = stack[at]!;
      stack.length = at;
      if (!frame.parent) {
        out.push({
          path: [...stack.map((f) => f.name), name],
          ids: [...stack.map((f) => f.id), frame.id],
          value: unescapeXml(text.slice(frame.start, m.index).trim()),
        });
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (top) top.parent = true;
    if (m[3]) {
      out.push({ path: [...stack.map((f) => f.name), name], ids: [...stack.map((f) => f.id), next++], value: '' });
      continue;
    }
    if (stack.length >= DEPTH_MAX) break;
    stack.push({ name, id: next++, start: re.lastIndex, parent: false });
  }
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
}

/** Leaves of a JSON payload (`{"User-list":[{"name":"bob",…}]}`); tolerant of a payload cut short. */
function jsonLeaves(text: string): Leaf[] {
  const out: Leaf[] = [];
  // Arrays are transparent: each object in `"User-list": [...]` is one `User-list` node.
  const stack: Array<{ name: string; id: number; array: boolean }> = [];
  let next = 0;
  let key: string | undefined;
  const named = () => stack.filter((f) => !f.array && f.name !== '');
  const nameHere = (): string => key ?? (stack[stack.length - 1]?.array ? stack[stack.length - 1]!.name : '');
  const leaf = (value: string) => {
    const frames = named();
    out.push({ path: [...frames.map((f) => f.name), nameHere()], ids: [...frames.map((f) => f.id), next++], value });
    key = undefined;
  };
  let i = 0;
  while (i < text.length && out.length < LEAVES_MAX) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          s += text[j + 1];
          j += 2;
        } else s += text[j++];
      }
      if (j >= text.length) break; // cut short inside a string: its value is unknown
      i = j + 1;
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text[i] === ':') {
        key = stripPrefix(s);
        i++;
      } else leaf(s);
      continue;
    }
    if (c === '{' || c === '[') {
      if (stack.length >= DEPTH_MAX) break;
      stack.push({ name: nameHere(), id: next++, array: c === '[' });
      key = undefined;
    } else if (c === '}' || c === ']') {
      stack.pop();
      key = undefined;
    } else if (/[-\w.]/.test(c)) {
      const m = /^[-\w.+]+/.exec(text.slice(i, i + 64))!;
      leaf(m[0] === 'null' ? '' : m[0]);
      i += m[0].length;
      continue;
    }
    i++;
  }
  return out;
}

function payloadLeaves(payload: string | undefined): Leaf[] {
  if (!payload) return [];
  const text = payload.length > PAYLOAD_MAX ? payload.slice(0, PAYLOAD_MAX) : payload;
  const first = text.trimStart()[0];
  if (first === '<') return xmlLeaves(text);
  if (first === '{' || first === '[') return jsonLeaves(text);
  return [];
}

/** What one request does to one local user, from the URL and payload. */
interface UserEdit {
  name?: string | undefined;
  credential: boolean;
  key: boolean;
  roles: string[];
  other: boolean;
}

const newEdit = (name?: string): UserEdit => ({ name, credential: false, key: false, roles: [], other: false });

/** Reads one leaf, given its path below the user's `User-list` entry. */
function readLeaf(edit: UserEdit, rel: string[], value: string, nameFromUrl: boolean): void {
  const leaf = rel[rel.length - 1];
  if (rel.length === 1) {
    if (leaf === 'name') {
      if (!nameFromUrl && value) edit.name = value;
    } else if (leaf === 'pwd') {
      if (value) edit.credential = true;
    } else if (!leaf?.startsWith('pwd')) {
      edit.other = true; // expiration, shelltype, …; `pwdEncryptType` goes with `pwd`
    }
    return;
  }
  if (rel[0] === 'sshauth-items') {
    if (value) edit.key = true;
    return;
  }
  const role = rel.lastIndexOf('UserRole-list');
  if (role >= 0 && role === rel.length - 2 && leaf === 'name' && value) {
    if (!edit.roles.includes(value)) edit.roles.push(value);
    return;
  }
  if (rel[0] !== 'userdomain-items') edit.other = true;
}

const NAME_OK = /^[^\s;]{1,256}$/;

/**
 * The `username …` / `no username …` commands equivalent to a RESTCONF request on local users,
 * for the shared CLI interpreter only (never stored: the record carries the request). Empty when
 * the request does not touch `System/userext-items/user-items`.
 */
export function restconfUserCommands(req: RestconfRequest): string[] {
  const segments = req.url ? urlSegments(req.url) : undefined;
  if (!segments) return [];
  const names = segments.map((s) => s.name);
  const below = Math.min(names.length, USERS_PATH.length);
  for (let k = 0; k < below; k++) if (names[k] !== USERS_PATH[k]) return [];
  const entryAt = names.length > USERS_PATH.length ? USERS_PATH.length : -1;
  if (entryAt >= 0 && (names[entryAt] !== 'User-list' || !segments[entryAt]!.key)) return [];

  const edits: UserEdit[] = [];
  // PUT and PATCH repeat the target node at the payload's top (`…/user-items` with
  // `<user-items><User-list>…`); Cisco's own RESTCONF user-creation sample sends the children alone
  // (`<User-list>…`). POST gives a child.
  const last = names[names.length - 1];
  const leaves = payloadLeaves(req.payload).map((l) => (l.path[0] === last && l.path.length > 1 ? { ...l, path: l.path.slice(1), ids: l.ids.slice(1) } : l));
  if (entryAt >= 0) {
    // The URL names the user (`…/User-list=bob[/…]`): everything the request carries is about bob.
    const target = segments[entryAt]!.key!;
    const deeper = segments.slice(entryAt + 1);
    if (req.method === 'DELETE') {
      if (!NAME_OK.test(target)) return [];
      if (deeper.length === 0) return [`no username ${target}`];
      const role = deeper.find((s) => s.name === 'UserRole-list')?.key;
      // An attribute removed, the account kept (`no username bob role network-admin`).
      return [`no username ${target} ${role && NAME_OK.test(role) ? `role ${role}` : 'attribute'}`];
    }
    const edit = newEdit(target);
    const urlRel = deeper.map((s) => s.name);
    for (const s of deeper) if (s.name === 'UserRole-list' && s.key) edit.roles.push(s.key);
    if (urlRel[0] === 'pwd') edit.credential = true;
    if (urlRel[0] === 'sshauth-items') edit.key = true;
    for (const leaf of leaves) {
      const rel = [...urlRel, ...leaf.path];
      if (rel.length > 0) readLeaf(edit, rel, leaf.value, true);
    }
    edits.push(edit);
  } else {
    // The URL is above the users (`…/user-items`, `…/userext-items`, `System`, the datastore):
    // each `User-list` entry of the payload under `System/userext-items/user-items` is one user.
    if (req.method === 'DELETE') return [];
    const byEntry = new Map<number, UserEdit>();
    for (const leaf of leaves) {
      const full = [...names, ...leaf.path];
      let at = -1;
      for (let k = Math.max(names.length, USERS_PATH.length); k < full.length - 1; k++) {
        if (full[k] === 'User-list' && USERS_PATH.every((n, j) => full[k - USERS_PATH.length + j] === n)) {
          at = k;
          break;
        }
      }
      if (at < 0) continue;
      const id = leaf.ids[at - names.length]!;
      let edit = byEntry.get(id);
      if (!edit) {
        edit = newEdit();
        byEntry.set(id, edit);
        edits.push(edit);
      }
      readLeaf(edit, full.slice(at + 1), leaf.value, false);
    }
  }

  const out: string[] = [];
  for (const e of edits) {
    if (!e.name || !NAME_OK.test(e.name)) continue;
    let cmd = `username ${e.name}`;
    if (e.credential) cmd += ' password <redacted>';
    if (e.other) cmd += ' attribute';
    for (const r of e.roles) if (NAME_OK.test(r)) cmd += ` role ${r}`;
    if (e.key) cmd += ' sshkey <redacted>';
    out.push(cmd);
  }
  return out;
}
