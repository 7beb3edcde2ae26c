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
    // A temporary folder per run, checked empty at the end; each file's tempDir() folders removed.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
  },
});
