// The Host handle given to modules: a connection plus the task's privileges (become) and the host's facts/vars.

import { becomeReadFile, becomeStat, becomeWriteFile } from './become-files.js';
import type { Connection, ExecResult, Facts, FileStat, Host, RunOptions, WriteFileOptions } from '../types.js';

export interface BecomeSettings {
  become: boolean;
  becomeUser: string;
  /** sudo password, given to sudo's prompt only (askpass), never to the command; never logged. */
  becomePassword?: string;
}

export interface HostHandleOptions {
  name: string;
  connection: Connection;
  facts: Facts;
  vars: Record<string, unknown>;
  /** The user the connection logs in as (root needs no sudo to become root). */
  loginUser: string;
  become: BecomeSettings;
  /** The task's environment (rendered): set for every command it runs, inside sudo. */
  environment?: Record<string, string>;
}

/**
 * Wrap argv in sudo when the task asks to become another user than the login user. A password goes to sudo only
 * through askpass (-A): when sudo does not ask (NOPASSWD, a cached ticket) it is never read, so it can never reach
 * the command's stdin.
 */
export function becomeArgv(argv: string[], loginUser: string, b: BecomeSettings): { argv: string[]; askpass?: string } {
  if (!b.become || b.becomeUser === loginUser) return { argv };
  if (b.becomePassword !== undefined) {
    return { argv: ['sudo', '-A', '-p', '', '-H', '-u', b.becomeUser, '--', ...argv], askpass: b.becomePassword };
  }
  return { argv: ['sudo', '-n', '-H', '-u', b.becomeUser, '--', ...argv] };
}

export function createHost(o: HostHandleOptions): Host {
  const { connection } = o;
  // Files follow the task's privileges: through sudo when the task becomes another user than the login user.
  const sudoed = () => o.become.become && o.become.becomeUser !== o.loginUser;
  const host: Host = {
    name: o.name,
    facts: o.facts,
    vars: o.vars,
    run(argv: string[], opts: RunOptions = {}): Promise<ExecResult> {
      const become = { ...o.become, become: opts.become ?? o.become.become };
      // The task's environment goes inside sudo (which resets the environment), as Ansible sets it in the module's command.
      const withEnv = o.environment && Object.keys(o.environment).length > 0 ? ['env', ...Object.entries(o.environment).map(([k, v]) => `${k}=${v}`), ...argv] : argv;
      const wrapped = becomeArgv(withEnv, o.loginUser, become);
      return connection.exec(wrapped.argv, { ...opts, askpass: wrapped.askpass });
    },
    readFile: (p: string) => (sudoed() ? becomeReadFile(host.run, p) : connection.readFile(p)),
    writeFile: (p: string, data: string | Buffer, opts?: WriteFileOptions) => (sudoed() ? becomeWriteFile(host.run, p, data, opts) : connection.writeFile(p, data, opts)),
    stat: (p: string): Promise<FileStat | null> => (sudoed() ? becomeStat(host.run, p) : connection.stat(p)),
  };
  return host;
}

/** The handle rollback uses: the host's own connection vars, root by default (changes were made as root). */
export function createRollbackHost(name: string, connection: Connection, facts: Facts, vars: Record<string, unknown>, loginUser: string): Host {
  return createHost({
    name, connection, facts, vars, loginUser,
    become: { become: Boolean(vars.become ?? true), becomeUser: 'root', becomePassword: vars.become_password as string | undefined },
  });
}
