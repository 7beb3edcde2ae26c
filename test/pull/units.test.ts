// The pure pieces of src/pull: terminal rendering, prompts, command output, known_hosts,
// algorithm lists, host key judgement, account comparison, backoff, jitter, scrubbing.

import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { compareAccounts } from '../../src/pull/account-changes.js';
import { algorithmsFor } from '../../src/pull/algorithms.js';
import { asPullError } from '../../src/pull/errors.js';
import { describeKey, judgeHostKey } from '../../src/pull/hostkeys.js';
import { knownKeysFor, parseKnownHosts, patternsMatch } from '../../src/pull/known-hosts.js';
import { commandError, commandOutput } from '../../src/pull/output.js';
import { answerFor, isOwnPrompt, promptBase } from '../../src/pull/prompt.js';
import { backoffMs } from '../../src/pull/retry.js';
import { jitterMs, scheduleOf } from '../../src/pull/schedule.js';
import { scrub, Secret } from '../../src/pull/secret.js';
import { renderLine, trailingLine } from '../../src/pull/terminal.js';
import { deviceSchema, pullSchema } from '../../src/config/inventory.js';

const ios = platformById('cisco-ios')!.ssh!;
const forti = platformById('fortinet-fortios')!.ssh!;

function blob(type: string, fill: number): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, fill)]);
}

describe('terminal', () => {
  it('renders carriage returns, backspaces and ANSI as a terminal shows them', () => {
    expect(renderLine('\rTEST-12345# ')).toBe('TEST-12345# ');
    expect(renderLine('\r         \rSystem Part-Number: P28792-06\r')).toBe('System Part-Number: P28792-06');
    expect(renderLine('\x1b[4m\rLAB-R1234_Garderos#\x1b[m ')).toBe('LAB-R1234_Garderos# ');
    expect(renderLine('abc\bX')).toBe('abX');
    expect(renderLine('old text\x1b[2Knew')).toBe('new');
    expect(renderLine('keep\x1b[K')).toBe('keep');
    // A pager prompt erased with backspaces leaves no trailing blanks; blanks written as text stay.
    expect(renderLine('\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b!')).toBe('!');
    expect(renderLine('\b\b\b          \b\b\b\b\b\b\b\b\b\bsdm prefer default ')).toBe('sdm prefer default ');
    expect(trailingLine('line one\nline two\r\nrouter#')).toBe('router#');
    // Comware and VRP blank their pager by moving the cursor left (`ESC[nD`), writing blanks, moving back:
    // the next line (or the prompt) is written over them, and no blank of theirs is text.
    expect(renderLine(`\x1b[42D${' '.repeat(42)}\x1b[42Dvlan batch 10 20`, 'keep')).toBe('vlan batch 10 20');
    expect(trailingLine(`#\r\n  ---- More ----\x1b[16D${' '.repeat(16)}\x1b[16D<HUAWEI>`)).toBe('<HUAWEI>');
    expect(renderLine('abcdef\x1b[3D123')).toBe('abc123');
    expect(renderLine('a\x1b[Db')).toBe('b');
    expect(renderLine('\x1b[99999999999Dx')).toBe('x');
  });
});

describe('prompts and output', () => {
  it('after login only the device\'s own prompt (with a mode) ends a command', () => {
    const base = promptBase('LAB-SW123_9200L#');
    expect(base).toBe('LAB-SW123_9200L');
    expect(isOwnPrompt('LAB-SW123_9200L#', ios, base)).toBe(true);
    expect(isOwnPrompt('LAB-SW123_9200L>', ios, base)).toBe(true);
    expect(isOwnPrompt('LAB-SW123_9200L(config)#', ios, base)).toBe(true);
    expect(isOwnPrompt('LAB-SW123_9200L-old#', ios, base)).toBe(false);
    expect(isOwnPrompt('core-sw1#', ios, base)).toBe(false);
    const fbase = promptBase('OXI-FW121 # ');
    expect(isOwnPrompt('OXI-FW121 (global) # ', forti, fbase)).toBe(true);
  });

  it('answers pre-prompt screens', () => {
    expect(answerFor('Press any key to continue', ios)).toBe('\n');
    expect(answerFor("(Press 'a' to accept):", forti)).toBe('a');
    expect(answerFor('router#', ios)).toBeUndefined();
  });

  it('a command\'s output is what follows its echo, before the prompt; errors are read at the top only', () => {
    expect(commandOutput('show clock\r\n10:00:00 UTC\r\nrouter#', 'show clock', true)).toBe('10:00:00 UTC\n');
    // Trailing blanks and blank lines before the prompt are the device's text.
    expect(commandOutput('show clock\r\n10:00:00 UTC  \r\n \r\n\r\nrouter#', 'show clock', true)).toBe('10:00:00 UTC  \n \n\n');
    expect(commandOutput('10:00:00 UTC\n', '', false)).toBe('10:00:00 UTC\n');
    // Control characters are output text (an echo's bell is not: the echo is still found).
    expect(commandOutput('show run\x07\r\nenable secret\x0bX1\x00y\r\nrouter#', 'show run', true)).toBe('enable secret\x0bX1\x00y\n');
    expect(commandError("       ^\n% Invalid input detected at '^' marker.\n", ios.errors)).toBe("% Invalid input detected at '^' marker.");
    const config = ['hostname a', '!', '!', '!', '!', '!', 'banner motd ^C', '% Invalid input is not welcome here', '^C'].join('\n');
    expect(commandError(config, ios.errors)).toBeUndefined();
  });

  it('ssh2 and socket errors become failures an engineer can act on', () => {
    expect(asPullError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:22'), { code: 'ECONNREFUSED' })).failure).toBe('connect');
    expect(asPullError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' })).failure).toBe('auth');
    expect(asPullError(new Error('Handshake failed: no matching key exchange algorithm')).failure).toBe('algorithms');
    expect(asPullError(new Error('Timed out while waiting for handshake')).failure).toBe('connect');
  });
});

describe('known_hosts', () => {
  const ed = blob('ssh-ed25519', 1);
  const other = blob('ssh-ed25519', 2);
  const salt = randomBytes(20);
  const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.5]:2222').digest('base64')}`;
  const text = [
    '# operator-checked keys',
    `core-sw1,10.0.0.1 ssh-ed25519 ${ed.toString('base64')}`,
    `[10.0.0.2]:2222 ssh-ed25519 ${ed.toString('base64')} comment`,
    `${hashed} ssh-ed25519 ${ed.toString('base64')}`,
    `*.lab.example,!bad.lab.example ssh-ed25519 ${ed.toString('base64')}`,
    `@revoked 10.0.0.1 ssh-ed25519 ${other.toString('base64')}`,
    '@cert-authority *.example ssh-ed25519 AAAA',
    'garbage',
  ].join('\n');
  const entries = parseKnownHosts(text);

  it('reads plain, [host]:port, hashed, wildcard and negated patterns, and @revoked', () => {
    expect(entries).toHaveLength(5);
    expect(knownKeysFor(entries, ['10.0.0.1'], 22).trusted).toHaveLength(1);
    expect(knownKeysFor(entries, ['10.0.0.1'], 22).revoked).toHaveLength(1);
    expect(knownKeysFor(entries, ['10.0.0.2'], 2222).trusted).toHaveLength(1);
    expect(knownKeysFor(entries, ['10.0.0.2'], 22).trusted).toHaveLength(0);
    expect(knownKeysFor(entries, ['10.0.0.5'], 2222).trusted).toHaveLength(1);
    expect(patternsMatch('*.lab.example,!bad.lab.example', 'sw.lab.example', 22)).toBe(true);
    expect(patternsMatch('*.lab.example,!bad.lab.example', 'bad.lab.example', 22)).toBe(false);
  });

  it('judges a presented key: trusted, new, changed, revoked', () => {
    const k = describeKey(ed);
    expect(k.type).toBe('ssh-ed25519');
    expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(judgeHostKey(k, [k]).kind).toBe('trusted');
    expect(judgeHostKey(k, []).kind).toBe('new');
    expect(judgeHostKey(describeKey(other), [k])).toEqual({ kind: 'changed', expected: [k.fingerprint] });
    expect(judgeHostKey(describeKey(other), [], [describeKey(other)]).kind).toBe('changed');
  });
});

describe('algorithms', () => {
  it('modern by default; legacy appended only when opted in; the pinned key type first', () => {
    const modern = algorithmsFor({});
    expect(modern.serverHostKey).not.toContain('ssh-rsa');
    expect(modern.kex).toEqual({ append: [], prepend: [], remove: [] });
    const legacy = algorithmsFor({ legacy: true });
    expect(legacy.kex.append).toContain('diffie-hellman-group14-sha1');
    expect(legacy.cipher.append).toContain('aes128-cbc');
    expect(legacy.serverHostKey.slice(-2)).toEqual(['ssh-rsa', 'ssh-dss']);
    expect(algorithmsFor({ pinnedType: 'ssh-rsa' }).serverHostKey.slice(0, 2)).toEqual(['rsa-sha2-512', 'rsa-sha2-256']);
    expect(algorithmsFor({ pinnedType: 'ecdsa-sha2-nistp256' }).serverHostKey[0]).toBe('ecdsa-sha2-nistp256');
    expect(algorithmsFor({ extra: { kex: ['diffie-hellman-group-exchange-sha1'] } }).kex.append).toEqual(['diffie-hellman-group-exchange-sha1']);
  });
});

describe('accounts between pulls', () => {
  it('added, removed, changed (privilege, roles, credentials), same (line layout only)', () => {
    const previous = [
      { id: 1, name: 'a', roles: [], credentials: ['secret' as const] },
      { id: 2, name: 'b', privilege: '1', roles: [], credentials: ['secret' as const] },
      { id: 3, name: 'c', roles: ['x', 'y'], credentials: ['password' as const] },
    ];
    const current = [
      { name: 'a', roles: [], credentials: ['secret' as const], lines: ['username a  secret 9 <redacted>'] },
      { name: 'b', privilege: '15', roles: [], credentials: ['secret' as const], lines: [] },
      { name: 'c', roles: ['y', 'x'], credentials: ['password' as const], lines: [] },
      { name: 'd', roles: [], credentials: ['none' as const], lines: [] },
    ];
    expect(compareAccounts(previous, current).map((c) => [c.kind, 'account' in c ? c.account.name : c.previous.name])).toEqual([
      ['same', 'a'],
      ['changed', 'b'],
      ['same', 'c'],
      ['added', 'd'],
    ]);
    expect(compareAccounts(previous, []).map((c) => c.kind)).toEqual(['removed', 'removed', 'removed']);
  });
});

describe('scheduling arithmetic', () => {
  it('backoff doubles with ±20 % spread', () => {
    expect(backoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, () => 0.5)).toBe(4000);
    expect(backoffMs(1, 1000, () => 0)).toBe(800);
    expect(backoffMs(1, 1000, () => 1)).toBe(1200);
  });

  it('jitter is fixed per device, inside the window, and spread', () => {
    expect(jitterMs('core-sw1', 300_000)).toBe(jitterMs('core-sw1', 300_000));
    const offsets = Array.from({ length: 1000 }, (_, i) => jitterMs(`sw${i}`, 300_000));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(300_000);
    // Every 30-second slice of the window gets some devices (no thundering herd).
    const slices = new Set(offsets.map((o) => Math.floor(o / 30_000)));
    expect(slices.size).toBe(10);
    expect(jitterMs('x', 0)).toBe(0);
  });

  it('a device runs on its own schedule, else its first group\'s, else the default', () => {
    const pull = pullSchema.parse({ schedule: '0 * * * *', groups: { core: { schedule: '*/15 * * * *' }, edge: { schedule: '30 2 * * *' } } });
    const d = (o: object): ReturnType<typeof deviceSchema.parse> => deviceSchema.parse({ name: 'd', address: '10.0.0.1', platform: 'cisco-ios', ...o });
    expect(scheduleOf(d({}), pull)).toBe('0 * * * *');
    expect(scheduleOf(d({ groups: ['other', 'core', 'edge'] }), pull)).toBe('*/15 * * * *');
    expect(scheduleOf(d({ groups: ['core'], schedule: '5 4 * * *' }), pull)).toBe('5 4 * * *');
  });
});

describe('secrets in memory', () => {
  it('a Secret prints as <redacted> however it is printed', () => {
    const s = new Secret('Hunter2-Hunter2');
    const holder = { username: 'u', password: s };
    expect(JSON.stringify(holder)).not.toContain('Hunter2');
    expect(inspect(holder)).not.toContain('Hunter2');
    expect(`${s}`).toBe('<redacted>');
    expect(s.reveal()).toBe('Hunter2-Hunter2');
  });

  it('scrub removes every credential from a message', () => {
    expect(scrub('device said Hunter2-Hunter2 twice: Hunter2-Hunter2', [new Secret('Hunter2-Hunter2'), undefined])).toBe('device said <redacted> twice: <redacted>');
    expect(scrub('a b c', [new Secret('a')])).toBe('a b c');
  });
});
