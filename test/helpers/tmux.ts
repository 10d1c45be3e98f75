// A real terminal for tests: the command runs in a detached tmux session on a private server socket (named by this
// test process), driven with send-keys and read with capture-pane. Every session is killed by name in close().

import { spawnSync } from 'node:child_process';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export interface Terminal {
  /** What the screen shows now (the visible pane, trailing blanks trimmed). */
  screen(): string;
  /** Everything the pane printed, scroll-back included. */
  history(): string;
  keys(...keys: string[]): void;
  /** The command's exit code once it ended (waits for it). */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Resolves once the screen matches (rejects after timeoutMs with the screen in the message). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

let sessions = 0;

export function openTerminal(command: string[], opts: { cwd: string; env?: Record<string, string>; width?: number; height?: number }): Terminal {
  const socket = `runbook-test-${process.pid}`;
  const name = `t${++sessions}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const env = Object.entries({ TERM: 'xterm-256color', ...opts.env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // The shell prints the exit code and waits, so the last screen stays readable after the command ends.
  const quoted = command.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const shell = `${quoted}; echo "[exited $?]"; read -r _`;
  const r = tmux('new-session', '-d', '-s', name, '-x', String(opts.width ?? 120), '-y', String(opts.height ?? 40), '-c', opts.cwd, ...env, 'bash', '--norc', '-c', shell);
  if (r.status !== 0) throw new Error(`tmux new-session: ${r.stderr}`);
  const screen = () => tmux('capture-pane', '-p', '-t', name).stdout.replace(/\s+$/, '');
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) => new Promise<string>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const now = screen();
      if (pattern.test(now)) return resolve(now);
      if (Date.now() > deadline) return reject(new Error(`waiting for ${pattern} on the terminal timed out; screen:\n${now}`));
      setTimeout(poll, 50);
    };
    poll();
  });
  return {
    screen,
    waitFor,
    exitCode: async (timeoutMs) => Number(/\[exited (\d+)\]/.exec(await waitFor(/\[exited \d+\]/, timeoutMs))![1]),
    history: () => tmux('capture-pane', '-p', '-S', '-', '-t', name).stdout.replace(/\s+$/, ''),
    keys: (...keys) => void tmux('send-keys', '-t', name, ...keys),
    close: () => void tmux('kill-session', '-t', name),
  };
}
