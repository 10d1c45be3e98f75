// Process entry: wires stdio and SIGINT to the CLI and exits with its code.

import { VERSION } from './version.js';

// `runbook schema | head`: the reader went away; stop quietly, as cat and grep do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  process.stderr.write('\nrunbook: interrupted — finishing the tasks in flight, then stopping (Ctrl-C again to quit now)\n');
  controller.abort();
});

// `runbook --version` answers before the CLI's table of contents is even loaded.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
const { runCli } = await import('./cli/run-cli.js');

const code = await runCli(args, {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  terminal: process.stdout.isTTY ? process.stdout : undefined,
  argv: args,
  env: process.env,
  cwd: process.cwd(),
  abort: controller.signal,
});
process.exitCode = code;
