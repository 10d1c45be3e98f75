// What a command may touch of the process: output streams, environment, working directory, the SIGINT signal.

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  /** The terminal stdout is, when it is one (the human reporter draws its live region there). */
  terminal?: NodeJS.WriteStream;
  /** The command's arguments as typed (after `runbook`). */
  argv?: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT. */
  abort: AbortSignal;
}

export type Format = 'human' | 'json' | 'junit';

/** Receives a run's events and prints them in one format. */
export interface Reporter { onEvent: (ev: import('../report/events.js').RunEvent) => void; finish: () => void }
