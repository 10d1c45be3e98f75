// Picks the reporter for --format: human (colour and progress only on a TTY), json or junit.

import { humanReporter } from '../report/human.js';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import type { CliIO, Format, Reporter } from './io.js';

export function makeReporter(format: Format, io: CliIO, opts: { driftIsFailure: boolean; verbose?: boolean }): Reporter {
  if (format === 'json') return jsonReporter(io.out);
  if (format === 'junit') return junitReporter(io.out, { driftIsFailure: opts.driftIsFailure });
  const color = io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
  return humanReporter(io.out, { color, progress: io.isTTY, verbose: opts.verbose ?? false });
}
