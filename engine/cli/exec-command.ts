// `runbook exec PATTERN -m MODULE -a ARGS` and `runbook ping PATTERN`: one task on the matching hosts, run as a
// play is run (same connection, become, check mode, journal: an ad-hoc change can be rolled back).

import path from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { userStateDir } from '../run/host-locks.js';
import { runPlaybook } from '../run/run-playbook.js';
import type { RunSettings } from '../run/run-state.js';
import { adhocReporter } from './adhoc-output.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { commandLineHostDefaults, connectionSettings, parseExtraVars, positiveOption, readLimit, type PlayCliOptions } from './options.js';
import { promptSecret } from './prompt.js';
import { makeReporter } from './reporter.js';
import { inventorySources } from '../inventory/host-list.js';

export interface ExecOptions extends PlayCliOptions { module: string; args?: string }

/** Split like a shell: spaces separate words, quotes group them (no expansion); `k="a b"` is one word. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current ??= '';
    } else if (/\s/.test(ch)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else current = (current ?? '') + ch;
  }
  if (quote) throw new UsageError(`-a '${text}': unterminated ${quote} quote`);
  if (current !== undefined) words.push(current);
  return words;
}

/** -a: a YAML/JSON mapping, key=value words, or (for command/shell) the command line itself. */
export function parseAdhocArgs(module: string, text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return null;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(JSON.stringify(JSON.parse(trimmed)));
  if (module === 'command' || module === 'shell') return text;
  const words = shellWords(text);
  if (words.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w))) {
    return Object.fromEntries(words.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  }
  throw new UsageError(`-a '${text}': give key=value words or a {mapping} for module ${module}`);
}

export async function execCommand(pattern: string, o: ExecOptions, io: CliIO): Promise<number> {
  let args: unknown;
  try {
    args = parseAdhocArgs(o.module, o.args);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`-a: invalid JSON mapping (${(e as Error).message})`);
  }
  const play = [{ name: `ad-hoc ${o.module} on ${pattern}`, hosts: pattern, gather_facts: false, tasks: [{ name: o.module, [o.module]: args }] }];
  const settings: RunSettings = {
    inventoryPaths: inventorySources(io.cwd, o.inventory),
    limit: await readLimit(o.limit, io.cwd),
    tags: [], skipTags: [],
    extraVars: await parseExtraVars(o.extraVars, io.cwd),
    check: Boolean(o.check), diff: Boolean(o.diff),
    forks: positiveOption('--forks', o.forks, true),
    rollback: o.rollback,
    connection: connectionSettings(o),
    projectDir: io.cwd,
    stateDir: userStateDir(io.env),
    hostDefaults: await commandLineHostDefaults(o, promptSecret),
    playbookText: stringify(play),
  };
  const reporter = o.format === 'human' ? adhocReporter(io.out) : makeReporter(o.format, io, { driftIsFailure: false });
  const result = await runPlaybook(path.join(io.cwd, `ad-hoc ${o.module}`), settings, (ev) => reporter.onEvent(ev), io.abort);
  reporter.finish();
  if (result.status === 'interrupted') return EXIT.interrupted;
  return result.status === 'failed' ? EXIT.failed : EXIT.ok;
}
