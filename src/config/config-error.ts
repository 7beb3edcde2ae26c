// A mistake in a file aaawatch was given (configuration, roster, inventory, credentials): each
// problem names the file, line and key. The command line exits 2 on it.

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}
