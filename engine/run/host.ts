// The Host handle given to modules: a connection plus the task's privileges (become) and the host's facts/vars.

import type { Connection, ExecResult, Facts, FileStat, Host, RunOptions, WriteFileOptions } from '../types.js';

export interface BecomeSettings {
  become: boolean;
  becomeUser: string;
  /** sudo password, sent on stdin only; never logged. */
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
}

/** Wrap argv in sudo when the task asks to become another user than the login user. */
export function becomeArgv(argv: string[], loginUser: string, b: BecomeSettings): { argv: string[]; stdinPrefix: string } {
  if (!b.become || b.becomeUser === loginUser) return { argv, stdinPrefix: '' };
  if (b.becomePassword !== undefined) {
    return { argv: ['sudo', '-S', '-p', '', '-H', '-u', b.becomeUser, '--', ...argv], stdinPrefix: `${b.becomePassword}\n` };
  }
  return { argv: ['sudo', '-n', '-H', '-u', b.becomeUser, '--', ...argv], stdinPrefix: '' };
}

export function createHost(o: HostHandleOptions): Host {
  const { connection } = o;
  return {
    name: o.name,
    facts: o.facts,
    vars: o.vars,
    run(argv: string[], opts: RunOptions = {}): Promise<ExecResult> {
      const become = { ...o.become, become: opts.become ?? o.become.become };
      const wrapped = becomeArgv(argv, o.loginUser, become);
      const stdin = wrapped.stdinPrefix
        ? Buffer.concat([Buffer.from(wrapped.stdinPrefix), Buffer.from(opts.stdin ?? '')])
        : opts.stdin;
      return connection.exec(wrapped.argv, { ...opts, stdin });
    },
    readFile: (p: string) => connection.readFile(p),
    writeFile: (p: string, data: string | Buffer, opts?: WriteFileOptions) => connection.writeFile(p, data, opts),
    stat: (p: string): Promise<FileStat | null> => connection.stat(p),
  };
}

/** The handle rollback uses: the host's own connection vars, root by default (changes were made as root). */
export function createRollbackHost(name: string, connection: Connection, facts: Facts, vars: Record<string, unknown>, loginUser: string): Host {
  return createHost({
    name, connection, facts, vars, loginUser,
    become: { become: Boolean(vars.become ?? true), becomeUser: 'root', becomePassword: vars.become_password as string | undefined },
  });
}
