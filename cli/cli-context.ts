import type { Lang } from '../config/i18n.js';

/** Global options every command receives. */
export interface GlobalOptions {
  config?: string;
  lang?: Lang;
  logLevel?: string;
  json?: boolean;
}

/**
 * Output channel of a command, for what a person or script reads. Commands never call
 * console.* directly, so tests can capture output and library code stays quiet.
 */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};
