// One attempt at pulling one device: connect, check the host key, run the session, close.

import { algorithmsFor } from './algorithms.js';
import { connect } from './connect.js';
import { judgeHostKey, type HostKey, type HostKeyVerdict } from './hostkeys.js';
import type { ReadLimits } from './reader.js';
import { pullOverExec, pullOverShell } from './session.js';
import type { Target } from './target.js';

export interface Trust {
  /** Keys acceptable for the device (known_hosts, else the pinned key); empty on first contact. */
  trusted: HostKey[];
  revoked: HostKey[];
}

export interface Pulled {
  raw: string;
  /** When the configuration command was sent (session.ts configuration). */
  readAt: number;
  hostKey: HostKey;
  verdict: HostKeyVerdict;
  refused: string[];
}

export async function attemptPull(target: Target, trust: Trust, limits: ReadLimits): Promise<Pulled> {
  const started = Date.now();
  const { device, credential, timeouts, platform } = target;
  const { client, hostKey, verdict } = await connect({
    host: device.address,
    port: device.port,
    login: credential,
    algorithms: algorithmsFor({ legacy: target.legacy, extra: target.algorithms, ...(trust.trusted[0] ? { pinnedType: trust.trusted[0].type } : {}) }),
    timeoutMs: Math.min(timeouts.connect, timeouts.total),
    judge: (key) => judgeHostKey(key, trust.trusted, trust.revoked),
  });
  try {
    const options = {
      profile: platform.ssh,
      enable: target.enable,
      ...(credential.enableSecret ? { enableSecret: credential.enableSecret } : {}),
      loginTimeoutMs: timeouts.login,
      commandTimeoutMs: timeouts.command,
      deadline: started + timeouts.total,
      limits,
    };
    const session = platform.ssh.exec ? await pullOverExec(client, options) : await pullOverShell(client, options);
    return { raw: session.text, readAt: session.readAt, hostKey, verdict, refused: session.refused };
  } finally {
    client.end();
  }
}
