import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Options both projects share (a project does not inherit the root's test options: `extends: true`
// would also repeat the root's globalSetup once per project, a run folder inside a run folder).
const common = {
  // Timeouts only guard against a hang: no test asserts speed. A CI machine shared with other work
  // can take several times as long as a quiet one over a test that starts processes or a browser
  // (ten times, for a test of twenty commands, with another file beside it on a machine shared by
  // eight suites): the guard is five minutes, and a test sets a longer one only.
  testTimeout: 300_000,
  hookTimeout: 300_000,
  pool: 'forks' as const,
  fileParallelism: true,
  // Runs before each file in both projects: the file's own TMPDIR, and the check that it left nothing.
  setupFiles: ['test/support/setup.ts'],
};

// A platform's own tests live in its folder (parsers/<platform>/test/), with the platform.
const ALL = ['test/**/*.test.ts', 'parsers/*/test/**/*.test.ts'];

// Files that run in a process of their own. Every other file shares its worker's process with the
// files before it (`isolate: false`): src/ and the test support are imported and compiled once a
// worker, not once a file, which was most of the ~400 s between files of a 748 s suite (test/parsers
// and parsers/, 63 files: 0.57x the CPU and 0.60x the wall, alternated with isolation at load 14-21;
// suite23, BENCHMARKS.md). A file is here when it changes what the process holds for the next file:
// fake timers or spies (vi.*, or test/support/virtual-time.ts), process.env (secrets and keys handed
// to an in-process ingest), or the process itself (its threads' priority and memory,
// worker-module's once-a-process check). Each shared file still gets its own TMPDIR and temporary
// folders (setup.ts runs before every file) and starts its own servers, clusters and ports; the
// module state src/ and parsers/ keep is a memo of the last input or scratch a call resets (no module
// holds a setting a test changes). A new file that changes the process goes here (test/suite-config.test.ts
// reads every test file and the test modules it imports for such changes, and fails on one not here).
export const OWN_PROCESS = [
  // vi.useFakeTimers / vi.setSystemTime / vi.spyOn, or useVirtualTime (test/support/virtual-time.ts)
  'test/pull/record.test.ts',
  'test/pull/session.test.ts',
  'test/ingest/connections.test.ts',
  'test/ingest/envelopes.test.ts',
  'test/ingest/udp-thread.test.ts',
  'test/ingest/radius-gather.test.ts',
  'test/store/writer.test.ts',
  'test/store/held-heard.test.ts',
  'test/reconcile/syslog-vanished.test.ts',
  'test/reconcile/asa-named-later.test.ts',
  'test/reconcile/device-names.test.ts',
  'test/reconcile/scenario.test.ts',
  'parsers/huawei-vrp/test/huawei-vrp.test.ts',
  // process.env written
  'test/pull/schedule.test.ts',
  'test/observe/watching.test.ts',
  'test/ingest/radius-listener.test.ts',
  'test/ingest/radsec.test.ts',
  'test/ingest/store-failure.test.ts',
  'test/ingest/native-senders.test.ts',
  'test/ingest/tacacs.test.ts',
  'test/ingest/radius.test.ts',
  'test/ingest/batched-datagrams.test.ts',
  'test/ingest/radius-edges.test.ts',
  'test/ingest/tacacs-edges.test.ts',
  'test/ingest/native-fuzz.test.ts',
  'test/web/native-malformed.test.ts',
  'test/reconcile/alerts.test.ts',
  // the process itself
  'test/thread-priority.test.ts',
  'test/thread-memory.test.ts',
  'test/worker-module.test.ts',
];

// Files that take longest, longest first: started first within their project, so neither worker
// is left alone with one at the end. Without a duration cache (a fresh clone, as in CI) vitest
// starts the largest files first, and relp-kill.test.ts (33 s, a small file) ran last, the other
// worker idle for its 27 s (2026-12-07, BENCHMARKS.md). A cache, where there is one, orders the rest.
export const SLOWEST = [
  'test/ingest/store-failure.test.ts',
  'test/web/browser.test.ts',
  'test/store/pg-commands.test.ts',
  'test/cli.test.ts',
  'test/store/pg-migrate.test.ts',
  'test/ingest/relp-kill.test.ts',
  'test/web/cli.test.ts',
  'test/store/pg-leases.test.ts',
  'test/reconcile/cli.test.ts',
  'test/import.test.ts',
  'test/pull/cli.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const at = SLOWEST.indexOf(relative(f.project.config.root, f.moduleId));
      return at < 0 ? SLOWEST.length : at;
    };
    // Projects stay in the order vitest gives them; within each, the slowest first, the rest as they were.
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    return projects.flatMap((name) => sorted.filter((f) => f.project.name === name).map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f));
  }
}

export default defineConfig({
  test: {
    // Two files at a time on two cores: most files spend much of their time waiting (a process
    // starting, a cluster, a lease running out, a timeout they check), which the other file fills.
    // Every file binds ports the kernel picks (port 0, test/support/ports.ts), writes under a TMPDIR
    // of its own (test/support/setup.ts) and starts its own PostgreSQL cluster on a free port, so two
    // files share no port and no path; waits are on events, with hang guards sized for a loaded
    // machine. BENCHMARKS.md, "The test suite": the failures two at once met, and the wall times.
    maxWorkers: 2,
    // A temporary folder per run, checked empty at the end; each file's tempDir() folders removed.
    // Once a run, here at the root: the projects below do not repeat it.
    globalSetup: ['test/support/global-setup.ts'],
    sequence: { sequencer: SlowestFirst },
    projects: [
      { test: { ...common, name: 'shared', include: ALL, exclude: [...configDefaults.exclude, ...OWN_PROCESS], isolate: false } },
      { test: { ...common, name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
});
