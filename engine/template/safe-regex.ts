// User regular expressions (regex_match, lineinfile) run on RE2's linear-time engine: a pattern from a playbook
// matched against text from a target can never backtrack the controller into a freeze.

import { RE2JS } from 're2js';

export interface SafeRegex {
  test(text: string): boolean;
}

const cache = new Map<string, SafeRegex>();

/** Compile a pattern (JavaScript syntax minus backreferences and lookaround, which RE2 lacks). */
export function safeRegex(pattern: string): SafeRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (e) {
    throw new Error(`invalid regular expression /${pattern}/: ${(e as Error).message} (runbook uses RE2 syntax: no backreferences or lookaround)`);
  }
  const regex: SafeRegex = { test: (text) => compiled.matcher(text).find() };
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, regex);
  return regex;
}
