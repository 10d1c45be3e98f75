// Picks the reporter for --format: human (colour and the live region only on a terminal), json or junit.

import { humanReporter } from '../report/human.js';
import { jsonReporter } from '../report/json.js';
import { junitReporter } from '../report/junit.js';
import type { CliIO, Format, Reporter } from './io.js';

export interface ReporterOptions {
  driftIsFailure: boolean;
  /** -v count. */
  verbosity?: number;
  /** No live region (--step asks questions on the same terminal). */
  noLive?: boolean;
  /** This run's arguments without the limit, for the recap's retry command. */
  retryCommand?: string[];
}

export function makeReporter(format: Format, io: CliIO, opts: ReporterOptions): Reporter {
  if (format === 'json') return jsonReporter(io.out);
  if (format === 'junit') return junitReporter(io.out, { driftIsFailure: opts.driftIsFailure });
  const terminal = io.isTTY && io.env.TERM !== 'dumb';
  const color = terminal && !io.env.NO_COLOR;
  return humanReporter(io.out, {
    color,
    verbosity: opts.verbosity ?? 0,
    live: terminal && !opts.noLive ? io.terminal : undefined,
    retryCommand: opts.retryCommand,
  });
}
