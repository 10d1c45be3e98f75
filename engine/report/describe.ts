// One way to turn any thrown value into the words a user sees.

import { RunbookError } from '../errors.js';

export function describeFailure(e: unknown): string {
  if (e instanceof RunbookError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}
