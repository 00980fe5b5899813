/** Entry point of the owh-sync command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  process.stderr.write(`owh-sync: not ready yet (${argv.join(' ')})\n`);
  return 1;
}
