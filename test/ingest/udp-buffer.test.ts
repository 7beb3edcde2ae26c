// The UDP receive buffer: what the kernel grants (Linux reports double it) and the warning when
// net.core.rmem_max capped the request, over a real socket with this machine's real limit.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { startIngest, type Ingest } from '../../src/ingest/service.js';
import { grantedRecvBuffer } from '../../src/ingest/udp-socket.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { tempDir } from '../support/temp.js';

describe('grantedRecvBuffer', () => {
  it('halves what Linux reports, and takes other systems at their word', () => {
    expect(grantedRecvBuffer(16_777_216, 'linux')).toBe(8_388_608);
    expect(grantedRecvBuffer(425_984, 'linux')).toBe(212_992);
    expect(grantedRecvBuffer(8_388_608, 'darwin')).toBe(8_388_608);
  });
});

const RMEM_MAX = '/proc/sys/net/core/rmem_max';

describe('UDP listener receive buffer', () => {
  let dir: string | undefined;
  let db: Db | undefined;
  let ingest: Ingest | undefined;
  afterEach(async () => {
    await ingest?.stop();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    ingest = db = dir = undefined;
  });

  async function listen(recvBufferBytes: number): Promise<{ granted: number; warnings: string[] }> {
    dir = tempDir();
    const config = configSchema.parse({ store: { path: join(dir, 'a.db') }, ingest: { udp: { host: '127.0.0.1', recvBufferBytes }, tcp: { enabled: false } } });
    config.ingest.udp.port = 0;
    db = openDatabase(config.store.path);
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
    ingest = await startIngest(config, db, log);
    return { granted: ingest.udp!.recvBufferBytes, warnings };
  }

  it.skipIf(process.platform !== 'linux' || !existsSync(RMEM_MAX))('a request within net.core.rmem_max is granted whole, without a warning', async () => {
    const max = Number(readFileSync(RMEM_MAX, 'utf8'));
    const asked = Math.max(65_536, Math.min(max, 8 * 1024 * 1024));
    const { granted, warnings } = await listen(asked);
    expect(granted).toBe(asked);
    expect(warnings).toEqual([]);
  });

  it.skipIf(process.platform !== 'linux' || !existsSync(RMEM_MAX))('a request above net.core.rmem_max is capped there, and the warning says so', async () => {
    const max = Number(readFileSync(RMEM_MAX, 'utf8'));
    const { granted, warnings } = await listen(max * 2);
    expect(granted).toBe(max);
    expect(warnings).toEqual([
      `UDP receive buffer capped by the kernel at ${max} bytes; raise it with sysctl -w net.core.rmem_max=${max * 2} (and in /etc/sysctl.d/ to keep it)`,
    ]);
  });
});
