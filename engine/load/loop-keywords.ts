// The loop keywords of a task (`loop`, `with_*`, `loop_control`) read into one shape, and what is wrong with them.

import { LOOP_KINDS, MAPPING_LOOP_HINT } from '../run/loop-items.js';
import type { Task } from './playbook-types.js';

export type LoopKeywords = Pick<Task, 'loop' | 'loop_kind' | 'loop_var' | 'index_var' | 'loop_label' | 'loop_pause'>;

const isMapping = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function loopKeywords(raw: Record<string, unknown>): LoopKeywords {
  const control = isMapping(raw.loop_control) ? raw.loop_control : {};
  const key = Object.keys(LOOP_KINDS).find((k) => raw[k] !== undefined);
  return {
    loop: key ? raw[key] : undefined,
    loop_kind: key ? LOOP_KINDS[key] : undefined,
    loop_var: String(control.loop_var ?? raw.loop_var ?? 'item'),
    index_var: typeof control.index_var === 'string' ? control.index_var : undefined,
    loop_label: typeof control.label === 'string' ? control.label : undefined,
    loop_pause: typeof control.pause === 'number' ? control.pause : undefined,
  };
}

/** Problems the keyword schemas cannot word well: two loop keywords, a mapping where a list is needed. */
export function loopProblems(raw: Record<string, unknown>): Array<{ key: string; message: string }> {
  const keys = Object.keys(LOOP_KINDS).filter((k) => raw[k] !== undefined);
  const out: Array<{ key: string; message: string }> = [];
  if (keys.length > 1) out.push({ key: keys[1], message: `'${keys[1]}' beside '${keys[0]}': a task has one loop` });
  for (const key of keys) {
    if (key !== 'with_dict' && key !== 'with_first_found' && isMapping(raw[key])) out.push({ key, message: `'${key}' must be a list, got a mapping: ${MAPPING_LOOP_HINT}` });
  }
  return out;
}
