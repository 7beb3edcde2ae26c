// The systemd notification protocol (sd_notify(3)) through systemd's own `systemd-notify`. Node's
// dgram has no unix datagram sockets, and the npm modules that add them are native addons that
// have broken with new Node majors (unix-dgram on 22 and 24) or publish prebuilt binaries for a few
// platforms only (node-unix-socket): systemd-notify comes with the systemd that sets
// $NOTIFY_SOCKET, speaks every socket kind it may name, and since systemd 246 waits until the
// service manager has read each message, so its exit cannot race the attribution to this unit
// (the unit sets NotifyAccess=all: the sender is this process's child).

import { spawn } from 'node:child_process';
import type { Logger } from '../log.js';

export interface Notifier {
  /** Half of $WATCHDOG_USEC: how often to send WATCHDOG=1; undefined when systemd runs no watchdog. */
  readonly watchdogIntervalMs: number | undefined;
  send(fields: Record<string, string>): void;
  /** Resolves when everything sent so far has been handed to systemd (or given up on). */
  flushed(): Promise<void>;
}

/** sd_watchdog_enabled(3): WATCHDOG_USEC, for this process only when WATCHDOG_PID says so. */
export function watchdogInterval(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isSafeInteger(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

/** The arguments for one message; a value cannot start a new line and pass for another key. */
export function notifyArgs(fields: Record<string, string>): string[] {
  return Object.entries(fields).map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, ' ')}`);
}

/**
 * A notifier for $NOTIFY_SOCKET, or undefined when aaawatch was not started by systemd with
 * Type=notify. One systemd-notify runs at a time; what is sent meanwhile waits and goes together,
 * a watchdog ping already waiting is not repeated.
 */
export function systemdNotifier(log: Logger, env: NodeJS.ProcessEnv = process.env, command = 'systemd-notify'): Notifier | undefined {
  if (!env.NOTIFY_SOCKET) return undefined;
  let pending: Record<string, string> | undefined;
  let running: Promise<void> | undefined;
  let failing = false;

  const run = (fields: Record<string, string>): Promise<void> =>
    new Promise((resolve) => {
      const child = spawn(command, notifyArgs(fields), { stdio: ['ignore', 'ignore', 'pipe'], env });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const done = (problem: string | undefined): void => {
        if (problem && !failing) log.warn({ problem, socket: env.NOTIFY_SOCKET }, 'systemd notification not delivered');
        failing = problem !== undefined;
        resolve();
      };
      child.on('error', (err) => done(`${command}: ${err.message}`));
      child.on('close', (code) => done(code === 0 ? undefined : `${command} exited with ${code}: ${stderr.trim()}`));
    });

  const next = (): void => {
    if (running || !pending) return;
    const fields = pending;
    pending = undefined;
    running = run(fields).then(() => {
      running = undefined;
      next();
    });
  };

  return {
    watchdogIntervalMs: watchdogInterval(env, process.pid),
    send(fields) {
      pending = { ...pending, ...fields };
      next();
    },
    async flushed() {
      while (running) await running;
    },
  };
}
