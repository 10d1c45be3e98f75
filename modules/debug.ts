// debug: show a message or a variable's value to the operator, at default verbosity (and in the JSON event as
// data). Reads nothing from the host, changes nothing, runs in check mode; no_log hides it like any result.

import { defineModule } from '../engine/types.js';

interface DebugArgs { msg?: unknown; var?: string }

/** The value at `path` ("r.stdout", "r.results[0].rc", "hostvars.h1.x") in the task's variables, or undefined. */
export function valueAt(vars: Readonly<Record<string, unknown>>, path: string): { found: boolean; value: unknown } {
  const parts = path.replace(/\[(\d+|'[^']*'|"[^"]*")\]/g, '.$1').split('.').map((p) => p.replace(/^['"]|['"]$/g, '')).filter(Boolean);
  let value: unknown = vars;
  for (const part of parts) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) return { found: false, value: undefined };
    value = (value as Record<string, unknown>)[part];
  }
  return { found: true, value };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2) ?? String(v));

export default defineModule<DebugArgs, null>({
  name: 'debug',
  doc: 'Show a message (a template) or the value of a variable in the output, at default verbosity; the JSON task event carries it as `data`. Changes nothing; runs in check mode too; `no_log` hides it.',
  schema: {
    type: 'object',
    additionalProperties: false,
    not: { required: ['msg', 'var'] },
    properties: {
      msg: { description: 'What to show: text with {{templates}}, or any value ("{{ r.stdout_lines }}" shows the list). Default "Hello world!".' },
      var: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*([.][A-Za-z0-9_-]+|\\[[0-9]+\\]|\\[\'[^\']*\'\\]|\\["[^"]*"\\])*$', description: 'The name of a variable to show, without braces; a path works too (`r.stdout`, `r.results[0].rc`, `r["stderr_lines"]`). An undefined one shows "VARIABLE IS NOT DEFINED!", as in Ansible.' },
    },
  },
  examples: [
    { name: 'Show what a command printed', args: { var: 'kubeadm_init.stdout' } },
    { name: 'Show a message', args: { msg: 'Joining {{inventory_hostname}} to {{ master }}' } },
  ],
  reversible: true,
  async inspect() {
    return null;
  },
  plan() {
    return [];
  },
  report(_current, args, ctx) {
    if (args.var !== undefined) {
      const { found, value } = valueAt(ctx.vars, args.var);
      const shown = found ? value : 'VARIABLE IS NOT DEFINED!';
      return { msg: `${args.var}: ${text(shown)}`, data: { [args.var]: shown }, result: { [args.var]: shown } };
    }
    const msg = args.msg === undefined ? 'Hello world!' : args.msg;
    return { msg: text(msg), data: { msg }, result: { msg } };
  },
  async apply() {
    return { changed: false };
  },
});
