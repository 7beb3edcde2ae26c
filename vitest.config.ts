import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A platform's own tests live in its folder (parsers/<platform>/test/), with the platform.
    include: ['test/**/*.test.ts', 'parsers/*/test/**/*.test.ts'],
    // Timeouts only guard against a hang: no test asserts speed. A CI machine shared with other work
    // can take several times as long as a quiet one over a test that starts processes or a browser
    // (ten times, for a test of twenty commands, with another file beside it on a machine shared by
    // eight suites): the guard is five minutes, and a test sets a longer one only.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two files at a time on two cores: most files spend much of their time waiting (a process
    // starting, a cluster, a lease running out, a timeout they check), which the other file fills.
    // Every file binds ports the kernel picks (port 0, test/support/ports.ts), writes under a TMPDIR
    // of its own (test/support/setup.ts) and starts its own PostgreSQL cluster on a free port, so two
    // files share no port and no path; waits are on events, with hang guards sized for a loaded
    // machine. BENCHMARKS.md, "The test suite": the failures two at once met, and the wall times.
    maxWorkers: 2,
    fileParallelism: true,
    // A temporary folder per run, checked empty at the end; each file's tempDir() folders removed.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
  },
});
