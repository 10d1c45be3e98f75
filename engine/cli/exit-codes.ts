// Exit codes of every command, documented in docs/cli.md. The only table of them: no literal codes elsewhere.

export const EXIT = { ok: 0, failed: 1, input: 2, todo: 3, drift: 4, interrupted: 130 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
