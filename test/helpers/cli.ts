// Runs the real CLI (the compiled engine/main.js of this test's own dist tree) as a child process.

import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { cliEntry } from './paths.js';

/**
 * Host locks live in the user's state folder ($XDG_STATE_HOME/runbook): each test process gets its own, so test
 * runs of other checkouts on this machine (all on localhost) do not lock each other out. A test may pass its own.
 */
export const testStateHome = process.env.RUNBOOK_TEST_STATE_HOME ?? path.join(os.tmpdir(), `runbook-test-state-${process.pid}`);

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; stdin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: testStateHome, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`runbook ${args.join(' ')} timed out after ${opts.timeoutMs ?? 120_000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 120_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Parse --format json output into events. */
export function jsonEvents(stdout: string): Array<Record<string, any>> {
  return stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
}

export interface RunningCli {
  pid: number;
  /** Resolves when stdout has matched the pattern (rejects after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  signal(sig: NodeJS.Signals): void;
  done: Promise<CliResult>;
}

/** Starts the CLI and hands back the running process, for tests that signal or race it mid-run. */
export function startCli(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): RunningCli {
  const child = spawn(process.execPath, [cliEntry, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: testStateHome, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout.on('data', (d) => {
    stdout += d;
    for (const w of [...waiters]) if (w.pattern.test(stdout)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  });
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`runbook ${args.join(' ')} timed out\n${stdout}\n${stderr}`)); }, opts.timeoutMs ?? 120_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, sig) => { clearTimeout(timer); resolve({ code: code ?? (sig ? 128 + (sig === 'SIGKILL' ? 9 : 15) : null), stdout, stderr }); });
  });
  return {
    pid: child.pid!,
    waitFor: (pattern, timeoutMs = 30_000) => new Promise<void>((resolve, reject) => {
      if (pattern.test(stdout)) return resolve();
      const timer = setTimeout(() => reject(new Error(`waiting for ${pattern} timed out; stdout so far:\n${stdout}\n${stderr}`)), timeoutMs);
      waiters.push({ pattern, resolve: () => { clearTimeout(timer); resolve(); } });
    }),
    signal: (sig) => { child.kill(sig); },
    done,
  };
}
