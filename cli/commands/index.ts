import type { Command } from 'commander';

import type { CliOutput } from '../cli-context.js';
import { registerCheckCommand } from './check.js';
import { registerDeadLettersCommand } from './dead-letters.js';
import { registerDemoCommand } from './demo.js';
import { registerKeysCommand } from './keys.js';
import { registerPreviewCommand } from './preview.js';
import { registerRunCommand } from './run.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerStatusCommand } from './status.js';

/**
 * Signature of a command module: it adds its subcommand to the program and
 * reports its exit code through `setExitCode`.
 */
export type RegisterCommand = (program: Command, output: CliOutput, setExitCode: (code: number) => void) => void;

const commands: RegisterCommand[] = [
  registerRunCommand,
  registerStatusCommand,
  registerCheckCommand,
  registerPreviewCommand,
  registerDeadLettersCommand,
  registerDemoCommand,
  registerKeysCommand,
  registerSandboxCommand,
];

/** Adds every command to the program. */
export function registerCommands(program: Command, output: CliOutput, setExitCode: (code: number) => void): void {
  for (const register of commands) register(program, output, setExitCode);
}
