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
    // One file at a time on two cores (vitest's default, cores − 1). Two at once ran the suite in
    // 508–602 s instead of ~850 s, but three of four such runs failed a test sensitive to a busy
    // neighbour (a CLI test's timeout, UDP shed by a store behind, an import's peak memory): kept
    // at one until those files hold up beside another.
    // A temporary folder per run, checked empty at the end; each file's tempDir() folders removed.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
  },
});
