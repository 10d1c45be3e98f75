// A sliced run keeps its event stream (already redacted, as every reporter sees it) in events.jsonl beside its
// journal, so `runbook merge` can build one recap, one JUnit and one audit report from all the slices.

import { appendFileSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { EventSink, RunEvent } from '../report/events.js';

export const EVENTS_FILE = 'events.jsonl';

export function recordingSink(runDir: string, sink: EventSink): EventSink {
  const file = path.join(runDir, EVENTS_FILE);
  closeSync(openSync(file, 'a', 0o600));
  return (event: RunEvent) => {
    appendFileSync(file, `${JSON.stringify(event)}\n`);
    sink(event);
  };
}
