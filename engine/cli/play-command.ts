// `runbook play`: settings from the flags → runPlaybook → exit code. Shared by `audit`.

import { userStateDir } from '../run/host-locks.js';
import path from 'node:path';
import type { EventSink } from '../report/events.js';
import { runPlaybook } from '../run/run-playbook.js';
import type { RunSettings } from '../run/run-state.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { commandLineHostDefaults, connectionSettings, parseExtraVars, positiveOption, readLimit, type PlayCliOptions } from './options.js';
import { promptSecret } from './prompt.js';
import { makeReporter } from './reporter.js';
import { retryArguments } from '../report/recap-lines.js';
import { stepConfirmer } from './step-prompt.js';
import { parseSlice } from '../slice/slice-hosts.js';
import { inventorySources } from '../inventory/host-list.js';

/** Run a playbook with the given options and reporter; returns the exit code. */
export async function executePlay(playbook: string, o: PlayCliOptions, io: CliIO, extraSinks: EventSink[] = [], overrides: Partial<RunSettings> = {}): Promise<number> {
  const forks = positiveOption('--forks', o.forks, true);
  const settings: RunSettings = {
    inventoryPaths: inventorySources(io.cwd, o.inventory),
    limit: await readLimit(o.limit, io.cwd),
    tags: o.tags,
    skipTags: o.skipTags,
    extraVars: await parseExtraVars(o.extraVars, io.cwd),
    check: Boolean(o.check),
    diff: Boolean(o.diff),
    forks,
    rollback: o.rollback,
    connection: connectionSettings(o),
    projectDir: io.cwd,
    hostDefaults: await commandLineHostDefaults(o, promptSecret),
    packs: o.packs,
    rolesPath: o.rolesPath,
    stateDir: userStateDir(io.env),
    startAtTask: o.startAtTask,
    confirmTask: o.step ? stepConfirmer(process.stdin, process.stderr) : undefined,
    ...(o.slice ? { slice: parseSlice(o.slice) } : {}),
    ...overrides,
  };
  const reporter = makeReporter(o.format, io, {
    driftIsFailure: Boolean(o.detectDrift), verbosity: o.verbose ?? 0, noLive: o.step,
    retryCommand: io.argv?.[0] === 'play' ? retryArguments(io.argv) : undefined,
  });
  const result = await runPlaybook(path.resolve(io.cwd, playbook), settings, (ev) => {
    reporter.onEvent(ev);
    for (const s of extraSinks) s(ev);
  }, io.abort);
  reporter.finish();
  if (result.status === 'interrupted') return EXIT.interrupted;
  if (result.status === 'failed') return EXIT.failed;
  if (settings.check && o.detectDrift && result.changed) return EXIT.drift;
  return EXIT.ok;
}
