// Opening an SSH connection to a device: algorithms, authentication (key, agent, password and
// keyboard-interactive, which Arista and Mellanox need and Oxidized users add by hand), the
// host key check, and a bounded handshake.

import type { Client, AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, KeyboardInteractiveAuthMethod } from 'ssh2';
import type { OfferedAlgorithms } from './algorithms.js';
import { asPullError, HostKeyChanged, PullError } from './errors.js';
import { describeKey, type HostKey, type HostKeyVerdict } from './hostkeys.js';
import type { Secret } from './secret.js';

export interface Login {
  username: string;
  password?: Secret;
  /** A private key (OpenSSH or PEM text) and its passphrase. */
  privateKey?: Secret;
  passphrase?: Secret;
  /** Path of an ssh-agent socket. */
  agent?: string;
}

export interface ConnectOptions {
  host: string;
  port: number;
  login: Login;
  algorithms: OfferedAlgorithms;
  /** The TCP connection, key exchange and authentication must finish within this. */
  timeoutMs: number;
  /** Decides on the presented host key; anything but `changed` lets the connection proceed. */
  judge: (key: HostKey) => HostKeyVerdict;
}

export interface Connection {
  client: Client;
  hostKey: HostKey;
  verdict: HostKeyVerdict;
}

/** The methods to try, strongest first; each is tried only if the server offers it. */
function authMethods(login: Login): AnyAuthMethod[] {
  const { username } = login;
  const out: AnyAuthMethod[] = [];
  if (login.privateKey) {
    out.push({ type: 'publickey', username, key: login.privateKey.reveal(), ...(login.passphrase ? { passphrase: login.passphrase.reveal() } : {}) });
  }
  if (login.agent) out.push({ type: 'agent', username, agent: login.agent });
  if (login.password) {
    const password = login.password.reveal();
    out.push({ type: 'password', username, password });
    let rounds = 0;
    const prompt: KeyboardInteractiveAuthMethod['prompt'] = (_name, _instructions, _lang, prompts, finish) => {
      // Servers may ask in several rounds; a server that never stops asking gets empty answers.
      rounds++;
      finish(rounds > 3 ? [] : prompts.map(() => password));
    };
    out.push({ type: 'keyboard-interactive', username, prompt });
  }
  return out;
}

export async function connect(o: ConnectOptions): Promise<Connection> {
  // Loaded on the first pull rather than at start: commands that never pull skip its load.
  const { Client } = await import('ssh2');
  const client = new Client();
  const methods = authMethods(o.login);
  const tried = new Set<number>();
  let seen: { hostKey: HostKey; verdict: HostKeyVerdict } | undefined;
  // ssh2 calls this with `null` first and takes `false` for "no more methods"; its types do not say so.
  const authHandler: AuthHandlerMiddleware = (left, _partial, next) => {
    const methodsLeft = left as AuthenticationType[] | null;
    const done = next as (method: AnyAuthMethod | false) => void;
    // First ask with `none`: the answer lists the methods the server accepts.
    if (methodsLeft === null) return done({ type: 'none', username: o.login.username });
    const i = methods.findIndex((m, n) => !tried.has(n) && methodsLeft.includes(m.type));
    if (i < 0) return done(false);
    tried.add(i);
    done(methods[i]!);
  };
  return new Promise<Connection>((resolve, reject) => {
    let settled = false;
    // ssh2's readyTimeout starts after the name lookup; this bounds the lookup too.
    const guard = setTimeout(() => fail(new PullError('connect', 'no SSH handshake within the connect timeout')), o.timeoutMs + 1000);
    const fail = (err: PullError): void => {
      clearTimeout(guard);
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    // A pull is a conversation of short commands and prompts: without this, each small write can
    // wait for the device's delayed ACK (40 ms on Linux) before it leaves (Nagle's algorithm), as
    // OpenSSH avoids by setting TCP_NODELAY on interactive sessions.
    client.once('connect', () => client.setNoDelay(true));
    client.once('ready', () => {
      clearTimeout(guard);
      if (settled || !seen) return fail(new PullError('closed', 'connected without a host key check'));
      settled = true;
      resolve({ client, ...seen });
    });
    client.on('error', (err) => {
      if (seen?.verdict.kind === 'changed') {
        fail(new HostKeyChanged(seen.hostKey, seen.verdict.expected));
      } else {
        fail(asPullError(err));
      }
    });
    client.once('close', () => fail(new PullError('closed', 'the device closed the connection during login')));
    if (methods.length === 0) return fail(new PullError('config', 'no password, key or agent is configured for this device'));
    client.connect({
      host: o.host,
      port: o.port,
      username: o.login.username,
      readyTimeout: o.timeoutMs,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      algorithms: o.algorithms,
      hostVerifier: (key: Buffer) => {
        const hostKey = describeKey(key);
        const verdict = o.judge(hostKey);
        seen = { hostKey, verdict };
        return verdict.kind !== 'changed';
      },
      authHandler,
    });
  });
}
