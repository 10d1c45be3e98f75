// The shared part of command and shell: creates/removes guards, running, and the registered result.

import { ModuleError } from '../../engine/errors.js';
import type { Change, Host } from '../../engine/types.js';

export interface CommandArgs {
  cmd?: string;
  argv?: string[];
  creates?: string;
  removes?: string;
  chdir?: string;
  env?: Record<string, string>;
  stdin?: string;
}

export interface CommandState { createsExists?: boolean; removesExists?: boolean }

export const commandSchemaProps = {
  creates: { type: 'string', description: 'Skip when this path exists (makes the task idempotent and check mode exact).' },
  removes: { type: 'string', description: 'Skip when this path does not exist.' },
  chdir: { type: 'string', description: 'Run in this directory.' },
  env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra environment variables.' },
  stdin: { type: 'string', description: 'Data given to the command on stdin.' },
};

/** Split a command line into argv like a shell would for words and quotes — no expansion, no operators. */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new ModuleError(`unterminated ${quote} quote in command: ${line}`);
  if (inWord) out.push(cur);
  return out;
}

export async function inspectGuards(host: Host, args: CommandArgs): Promise<CommandState> {
  return {
    createsExists: args.creates !== undefined ? (await host.stat(args.creates)) !== null : undefined,
    removesExists: args.removes !== undefined ? (await host.stat(args.removes)) !== null : undefined,
  };
}

export function planCommand(s: CommandState, args: CommandArgs, shown: string): Change[] {
  if (s.createsExists === true) return [];
  if (s.removesExists === false) return [];
  // Without a guard only running it tells whether it changes anything: check mode says "would run".
  return [{ msg: `run ${shown}`, uncertain: args.creates === undefined && args.removes === undefined }];
}

export async function runCommand(host: Host, argv: string[], args: CommandArgs, shown: string): Promise<Record<string, unknown>> {
  const res = await host.run(argv, { cwd: args.chdir, env: args.env, stdin: args.stdin });
  const stdout = res.stdout.replace(/\n+$/, '');
  const stderr = res.stderr.replace(/\n+$/, '');
  const result = { rc: res.code, stdout, stderr, stdout_lines: stdout ? stdout.split('\n') : [], stderr_lines: stderr ? stderr.split('\n') : [], cmd: shown };
  if (res.signal) throw new ModuleError(`command killed by signal ${res.signal}: ${shown}${stderr ? `: ${stderr.slice(-300)}` : ''}`, { result });
  if (res.code !== 0) throw new ModuleError(`command failed with exit ${res.code}: ${shown}${stderr ? `: ${stderr.slice(-300)}` : ''}`, { result });
  return result;
}
