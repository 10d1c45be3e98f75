// The one function that turns argv into a POSIX shell command line: every element single-quoted.

/** Quote one argument for sh: safe for any byte sequence, including quotes, newlines and `$(...)`. */
export function quoteArg(arg: string): string {
  if (arg === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Join argv into one shell command line. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

/** `env K=V ... cmd` prefix form, for transports that only take a command line. */
export function quoteCommand(argv: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): string {
  let line = quoteArgv(argv);
  const envs = Object.entries(opts.env ?? {});
  if (envs.length > 0) {
    for (const [k] of envs) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name: ${JSON.stringify(k)}`);
    }
    line = `env ${envs.map(([k, v]) => `${k}=${quoteArg(v)}`).join(' ')} ${line}`;
  }
  if (opts.cwd) line = `cd ${quoteArg(opts.cwd)} && ${line}`;
  return line;
}
