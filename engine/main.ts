// Process entry: wires stdio and SIGINT to the CLI and exits with its code.

import { runCli } from './cli/run-cli.js';

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

const code = await runCli(process.argv.slice(2), {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
  abort: controller.signal,
});
process.exitCode = code;
