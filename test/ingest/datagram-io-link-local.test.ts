// A link-local IPv6 sender read in batches (recvmmsg): its address carries its scope, which Node
// spells with the interface's name (`fe80::1%lo`) and the reader must spell the same, since the
// allow-list, the secrets and the device names are looked up by that text; and answers go back to
// the scope they came from. Run in a network namespace of the test's own (`unshare -rn`: a user
// namespace maps this user to root there, so no privilege is needed), whose loopback gets fe80::1.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('a link-local IPv6 sender, read with recvmmsg', () => {
  it("is spelled with its interface's name as Node spells it, and every answer reaches it", () => {
    const run = spawnSync(
      'unshare',
      ['-rn', 'sh', '-c', 'ip link set lo up && ip -6 addr add fe80::1/64 dev lo nodad && exec "$0" --import tsx test/support/link-local-datagrams.ts', process.execPath],
      { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, `unshare (util-linux) and ip (iproute2) are needed: ${run.stderr}`).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      calls: string;
      node: string;
      from: number;
      reads: Array<{ address: string; port: number; kernel: boolean }>;
      answers: string[];
    };
    expect(out.calls).toBe('recvmmsg');
    expect(out.node).toBe('fe80::1%lo');
    expect(out.reads).toHaveLength(30);
    // The first is read by libuv, the rest by recvmmsg with the kernel's address: all spelled as Node does.
    expect(out.reads.filter((r) => r.kernel).length).toBe(29);
    expect(new Set(out.reads.map((r) => `${r.address} ${r.port}`))).toEqual(new Set([`fe80::1%lo ${out.from}`]));
    expect([...out.answers].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `a${i}`).sort());
  });
});
