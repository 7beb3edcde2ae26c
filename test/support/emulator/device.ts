// A network device on ssh2's Server that replays a recorded session (replay.ts). Switches
// reproduce what breaks config pullers in the field: MOTD banners and "Press any key",
// keyboard-interactive only logins, enable with a secret, slow output in small chunks,
// prompt-like text inside the configuration, stray `\r`, pagers, legacy-only algorithms, a
// different host key, and devices that stop answering.

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import ssh2, { type Connection } from 'ssh2';
import { sshKeyPair } from '../ssh-keys.js';
import { DEFAULT_ENABLE, replayer, type ReplayOptions } from './replay.js';

// ssh2 is CommonJS; Node finds only some of its named exports.
const { Server, utils } = ssh2;

export interface EmulatorOptions extends ReplayOptions {
  username?: string;
  password?: string;
  /** OpenSSH public key line accepted for publickey authentication. */
  authorizedKey?: string;
  /** Private host key (OpenSSH or PEM); default a per-process ed25519 key (see hostKey()). */
  hostKey?: string;
  /** Offer keyboard-interactive only (as Arista does unless told otherwise). */
  keyboardInteractive?: boolean;
  /** Offer only diffie-hellman-group14-sha1, ssh-rsa, aes128-cbc and hmac-sha1 (needs an RSA host key). */
  legacyOnly?: boolean;
}

export interface RunningEmulator {
  port: number;
  /** Every command line the emulated device received, over all sessions. */
  received: string[];
  /** Completed logins. */
  logins: number;
  close(): Promise<void>;
}

export const EMULATOR_USER = 'aaawatch';
export const EMULATOR_PASSWORD = 'Emulator-Pass-42';
export const EMULATOR_ENABLE = DEFAULT_ENABLE;

const keyCache = new Map<string, string>();

/** A host key of this type, the same for the whole test process unless `fresh`. */
export function hostKey(type: 'ed25519' | 'rsa' = 'ed25519', fresh = false): string {
  if (!fresh && keyCache.has(type)) return keyCache.get(type)!;
  const pair = sshKeyPair(type);
  if (!fresh) keyCache.set(type, pair.private);
  return pair.private;
}

export async function startEmulator(o: EmulatorOptions): Promise<RunningEmulator> {
  const username = o.username ?? EMULATOR_USER;
  const password = o.password ?? EMULATOR_PASSWORD;
  const authorized = o.authorizedKey ? utils.parseKey(o.authorizedKey) : undefined;
  if (authorized instanceof Error) throw authorized;
  const state: RunningEmulator = { port: 0, received: [], logins: 0, close: async () => {} };
  const replay = replayer(o, state.received);
  const connections = new Set<Connection>();

  const server = new Server(
    {
      hostKeys: [o.hostKey ?? hostKey(o.legacyOnly ? 'rsa' : 'ed25519')],
      ...(o.legacyOnly
        ? { algorithms: { kex: ['diffie-hellman-group14-sha1'], serverHostKey: ['ssh-rsa'], cipher: ['aes128-cbc'], hmac: ['hmac-sha1'] } }
        : {}),
    },
    (client) => {
      // Answers go out at once, as a device's do: no Nagle delay waiting on the peer's delayed ACK.
      (client as Connection & { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
      connections.add(client);
      client.on('close', () => connections.delete(client));
      client.on('error', () => client.end());
      client.on('authentication', (ctx) => {
        const methods: Array<'password' | 'publickey' | 'keyboard-interactive'> = o.keyboardInteractive
          ? ['keyboard-interactive']
          : authorized
            ? ['publickey', 'password']
            : ['password'];
        if (ctx.username !== username || !methods.includes(ctx.method as (typeof methods)[number])) return ctx.reject(methods);
        if (ctx.method === 'password') return ctx.password === password ? ctx.accept() : ctx.reject(methods);
        if (ctx.method === 'keyboard-interactive') {
          return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => (answers[0] === password ? ctx.accept() : ctx.reject(methods)));
        }
        if (ctx.method === 'publickey' && authorized) {
          const sameKey = ctx.key.algo === authorized.type && ctx.key.data.equals(authorized.getPublicSSH());
          if (!sameKey) return ctx.reject(methods);
          if (!ctx.signature) return ctx.accept();
          return authorized.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(methods);
        }
        return ctx.reject(methods);
      });
      client.on('ready', () => {
        state.logins++;
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('pty', (accept) => accept?.());
          session.on('window-change', (accept) => accept?.());
          session.on('shell', (accept) => void replay.shell(accept()));
          session.on('exec', (accept, _reject, info) => {
            const channel = accept();
            void replay.exec(channel, info.command, (code) => channel.exit(code));
          });
        });
      });
    },
  );

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.port = (server.address() as AddressInfo).port;
  state.close = async () => {
    for (const c of connections) c.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
