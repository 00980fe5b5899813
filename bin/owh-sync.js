#!/usr/bin/env node
// The owh-sync command. tsx compiles the TypeScript sources on load, so the
// tool runs straight from a fresh `npm install`.
import { register } from 'tsx/esm/api';

register();

// A reader that closes the pipe early (`owh-sync dead-letters list | head`)
// is not an error of the command; stop writing quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
