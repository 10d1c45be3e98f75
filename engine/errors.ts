// The one error hierarchy: every error carries a code and where it happened; the CLI maps them to exit codes.

/** Where something went wrong in a user's file. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export type ErrorCode =
  | 'PLAYBOOK' // cannot read or parse a playbook/inventory/vars file
  | 'VALIDATION' // schema violations
  | 'TEMPLATE' // template syntax or undefined variable
  | 'INVENTORY'
  | 'CONNECTION' // transport failed: host unreachable, auth, host key
  | 'MODULE' // a module failed on a host
  | 'ROLLBACK'
  | 'LOCK'
  | 'STATE' // controller state (.runbook/, locks) not private: foreign owner, writable by others
  | 'USAGE';

export function formatLocation(loc?: SourceLocation): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

export class RunbookError extends Error {
  readonly code: ErrorCode;
  readonly location?: SourceLocation;
  readonly host?: string;
  readonly task?: string;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { location?: SourceLocation; host?: string; task?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause !== undefined ? { cause: extra.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.location = extra.location;
    this.host = extra.host;
    this.task = extra.task;
  }

  /** "file:line:col: message" when a location is known. */
  describe(): string {
    const where = formatLocation(this.location);
    return where ? `${where}: ${this.message}` : this.message;
  }
}

type Extra = ConstructorParameters<typeof RunbookError>[2];

export class PlaybookError extends RunbookError {
  constructor(message: string, extra?: Extra) { super('PLAYBOOK', message, extra); }
}

/** Many validation problems reported at once; `problems` each carry their own location. */
export class ValidationError extends RunbookError {
  readonly problems: RunbookError[];
  constructor(problems: RunbookError[]) {
    super('VALIDATION', problems.map((p) => p.describe()).join('\n'), { location: problems[0]?.location });
    this.problems = problems;
  }
  describe(): string { return this.message; }
}

export class TemplateError extends RunbookError {
  constructor(message: string, extra?: Extra) { super('TEMPLATE', message, extra); }
}

export class InventoryError extends RunbookError {
  constructor(message: string, extra?: Extra) { super('INVENTORY', message, extra); }
}

export class ConnectionError extends RunbookError {
  constructor(message: string, extra?: Extra) { super('CONNECTION', message, extra); }
}

export class ModuleError extends RunbookError {
  /** Partial result to register even though the task failed (e.g. rc/stdout of a failed command). */
  readonly result?: Record<string, unknown>;
  /** apply refused before it changed anything (e.g. a plan only check mode could make): rollback has nothing to undo. */
  readonly untouched?: boolean;
  constructor(message: string, extra?: Extra & { result?: Record<string, unknown>; untouched?: boolean }) {
    super('MODULE', message, extra);
    this.result = extra?.result;
    this.untouched = extra?.untouched;
  }
}

export class RollbackError extends RunbookError {
  constructor(message: string, extra?: Extra) { super('ROLLBACK', message, extra); }
}

export class LockError extends RunbookError {
  constructor(message: string, extra?: Extra) { super('LOCK', message, extra); }
}

export class UsageError extends RunbookError {
  constructor(message: string, extra?: Extra) { super('USAGE', message, extra); }
}

/** Input errors: nothing ran, exit 2. */
export function isInputError(err: unknown): boolean {
  return err instanceof RunbookError && ['PLAYBOOK', 'VALIDATION', 'TEMPLATE', 'INVENTORY', 'USAGE'].includes(err.code);
}
