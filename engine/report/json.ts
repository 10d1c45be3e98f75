// --format json: one JSON object per line on stdout, exactly the event stream.

import type { RunEvent } from './events.js';

export function jsonReporter(write: (s: string) => void): { onEvent: (ev: RunEvent) => void; finish: () => void } {
  return { onEvent: (ev) => write(`${JSON.stringify(ev)}\n`), finish: () => {} };
}
