import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A platform's own tests live in its folder (parsers/<platform>/test/), with the platform.
    include: ['test/**/*.test.ts', 'parsers/*/test/**/*.test.ts'],
    // Timeouts only guard against a hang: no test asserts speed. A CI machine shared with other work
    // can take several times as long as a quiet one over a test that starts processes or a browser.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at once even on two cores (vitest's default is cores − 1, one file at a time here):
    // most files wait on the processes they start (serve, loggen, PostgreSQL, a browser), so the
    // second file runs in that time. The whole suite: 834 s one at a time, 602 s two at a time
    // (2026-12-03, this 2-core machine).
    maxWorkers: 2,
    // A temporary folder per run, checked empty at the end; each file's tempDir() folders removed.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
  },
});
