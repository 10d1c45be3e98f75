// What a command may touch of the process: output streams, environment, working directory, the SIGINT signal.

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT. */
  abort: AbortSignal;
}

export type Format = 'human' | 'json' | 'junit';

/** Receives a run's events and prints them in one format. */
export interface Reporter { onEvent: (ev: import('../report/events.js').RunEvent) => void; finish: () => void }
