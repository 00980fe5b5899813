#!/usr/bin/env node
// The owh-sync command. tsx compiles the TypeScript sources on load, so the
// tool runs straight from a fresh `npm install`.
import { register } from 'tsx/esm/api';

register();

const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
