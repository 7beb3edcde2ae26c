// Driving a device's CLI to print its configuration: an interactive shell (prompt, echo, pager,
// enable) or one exec channel per command, as the platform's session profile says. Only the
// profile's own commands are sent; nothing here changes the device.

import type { Client, ClientChannel } from 'ssh2';
import type { SessionProfile } from '../types.js';
import { PullError } from './errors.js';
import { commandError, commandOutput } from './output.js';
import { answerFor, isOwnPrompt, isPager, PASSWORD_PROMPT, promptBase } from './prompt.js';
import { ChannelReader, type ReadLimits } from './reader.js';
import type { Secret } from './secret.js';
import { trailingLine } from './terminal.js';

export interface SessionOptions {
  profile: SessionProfile;
  /** `none`: never send `enable`; `auto`: send it when the prompt is not privileged, answer a password question if asked. */
  enable: 'none' | 'auto';
  enableSecret?: Secret;
  loginTimeoutMs: number;
  commandTimeoutMs: number;
  /** Absolute time (epoch ms) the whole pull must end by. */
  deadline: number;
  limits: ReadLimits;
}

export interface SessionResult {
  /** The configuration commands' outputs, joined. */
  text: string;
  /** When the first configuration command was sent (configuration). */
  readAt: number;
  /** Setup commands the device refused (paging already off, an old release): worth a log line, not a failure. */
  refused: string[];
}

/**
 * Banners and MOTDs arrive in bursts: a line of one that looks like a prompt must be followed by
 * more within this time, or it is taken as the prompt. Paid once per pull.
 */
const LOGIN_SETTLE_MS = 200;

/**
 * Outputs joined as the device printed them: each kept whole (its last line's trailing blanks are
 * the configuration's), a line end added only to one that lacks it (an exec channel's output that
 * closes mid-line), so the next starts on a line of its own.
 */
function join(parts: string[]): string {
  return parts.map((p) => (p.endsWith('\n') ? p : p + '\n')).join('');
}

function openShell(client: Client): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    // A wide terminal so nothing wraps; vt100 is what network CLIs expect.
    client.shell({ term: 'vt100', cols: 511, rows: 24 }, (err, channel) => (err ? reject(new PullError('closed', `cannot open a shell: ${err.message}`)) : resolve(channel)));
  });
}

export async function pullOverShell(client: Client, o: SessionOptions): Promise<SessionResult> {
  const channel = await openShell(client);
  const reader = new ChannelReader(channel, o.limits);
  const { profile } = o;
  const send = (text: string): void => {
    channel.write(text);
  };
  try {
    // Login: banners and MOTD, answering "Press any key" and accept screens, until the prompt.
    const prompt = await reader.wait(
      (text) => {
        const line = trailingLine(text);
        if (profile.prompt.test(line)) return line;
        const answer = answerFor(line, profile);
        if (answer !== undefined) {
          send(answer);
          reader.dropTrailingLine();
        }
        return undefined;
      },
      { idleMs: o.loginTimeoutMs, deadline: o.deadline, what: 'login (waiting for the first prompt)', settleMs: LOGIN_SETTLE_MS },
    );
    reader.take();
    const base = promptBase(prompt);

    const run = async (command: string): Promise<string> => {
      send(command + '\n');
      await reader.wait(
        (text) => {
          const line = trailingLine(text);
          if (isOwnPrompt(line, profile, base)) return line;
          if (isPager(line, profile)) {
            reader.dropTrailingLine();
            send(' ');
          }
          return undefined;
        },
        { idleMs: o.commandTimeoutMs, deadline: o.deadline, what: command },
      );
      return commandOutput(reader.take(), command, true);
    };

    if (o.enable === 'auto' && profile.privileged && !profile.privileged.test(prompt)) await enable(o, reader, send, base);

    const refused: string[] = [];
    for (const command of profile.setup) {
      const error = commandError(await run(command), profile.errors);
      if (error) refused.push(`${command}: ${error}`);
    }

    const read = await configuration(profile, run);
    send('exit\n');
    return { ...read, refused };
  } finally {
    channel.close();
  }
}

/**
 * The configuration commands' outputs, joined; for a list of alternatives, the first the device
 * does not refuse. `readAt`: the moment the first of them is sent (issue 15 item 7), which
 * reconciliation takes as when the pull read the device's accounts: one made before it is in what
 * the device prints, so its logged creation is the account's making; one logged after it may or may
 * not be (a device prints as it pages, seconds for a large configuration), and a `username` re-issued
 * then is read as restating what the pull shows. The end of the output would judge a re-issue logged
 * while the device paged as a new account (race20's case); the send leaves unjudged only a creation
 * in the moments between the device receiving the command and printing its accounts.
 */
async function configuration(profile: SessionProfile, run: (command: string) => Promise<string>): Promise<{ text: string; readAt: number }> {
  const readAt = Date.now();
  const parts: string[] = [];
  for (const entry of profile.configCommands) {
    const errors: string[] = [];
    let output: string | undefined;
    for (const command of Array.isArray(entry) ? entry : [entry]) {
      const out = await run(command);
      const error = commandError(out, profile.errors);
      if (!error) {
        output = out;
        break;
      }
      errors.push(`${command}: ${error}`);
    }
    if (output === undefined) throw new PullError('command', `the device refused ${errors.join('; ')}`);
    parts.push(output);
  }
  return { text: join(parts), readAt };
}

/** `enable`, answering a password question only when one comes; an already-privileged answer never hangs. */
async function enable(o: SessionOptions, reader: ChannelReader, send: (t: string) => void, base: string): Promise<void> {
  const { profile } = o;
  const what = { idleMs: o.commandTimeoutMs, deadline: o.deadline, what: 'enable' };
  send('enable\n');
  const first = await reader.wait((text) => {
    const line = trailingLine(text);
    if (PASSWORD_PROMPT.test(line)) return { password: true } as const;
    if (isOwnPrompt(line, profile, base)) return { prompt: line } as const;
    return undefined;
  }, what);
  let prompt: string;
  if ('password' in first) {
    if (!o.enableSecret) {
      send('\x03\n');
      throw new PullError('enable', 'the device asks for an enable secret and none is configured (set enableSecret in its credential)');
    }
    reader.take();
    send(o.enableSecret.reveal() + '\n');
    const second = await reader.wait((text) => {
      const line = trailingLine(text);
      if (PASSWORD_PROMPT.test(line) || /% ?(?:access denied|bad secrets|authentication failed)/i.test(text)) return { refused: true } as const;
      if (isOwnPrompt(line, profile, base)) return { prompt: line } as const;
      return undefined;
    }, what);
    if ('refused' in second) throw new PullError('enable', 'the enable secret was refused');
    prompt = second.prompt;
  } else {
    prompt = first.prompt;
  }
  reader.take();
  if (profile.privileged && !profile.privileged.test(prompt)) throw new PullError('enable', 'enable did not give a privileged prompt');
}

function openExec(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => (err ? reject(new PullError('closed', `cannot run ${command}: ${err.message}`)) : resolve(channel)));
  });
}

export async function pullOverExec(client: Client, o: SessionOptions): Promise<SessionResult> {
  const run = async (command: string): Promise<string> => {
    const channel = await openExec(client, command);
    try {
      const raw = await new ChannelReader(channel, o.limits).untilClosed({ idleMs: o.commandTimeoutMs, deadline: o.deadline, what: command });
      return commandOutput(raw, '', false);
    } finally {
      channel.close();
    }
  };
  return { ...(await configuration(o.profile, run)), refused: [] };
}
