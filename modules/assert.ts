// assert: stop a host with the operator's own message when a condition does not hold — e.g. a raw device that
// still carries a filesystem signature and may only be wiped when the inventory says `wipe: true`. Reads and
// changes nothing on the host; conditions are rendered by the engine like every other argument.

import { ModuleError } from '../engine/errors.js';
import { isTruthyText } from '../engine/template/render.js';
import { defineModule } from '../engine/types.js';

type Condition = boolean | string | number | null;
interface AssertArgs { that: Condition | Condition[]; msg?: string }

const holds = (c: Condition) => (typeof c === 'string' ? isTruthyText(c) : Boolean(c));

export default defineModule<AssertArgs, null>({
  name: 'assert',
  doc: 'Fail the host with a clear message unless every condition holds. Changes nothing; runs in check mode too.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['that'],
    properties: {
      that: {
        description: 'A condition or a list of them, usually a template such as "{{not (and sigs.stdout (not wipe))}}".',
        anyOf: [{ type: ['boolean', 'string', 'number', 'null'] }, { type: 'array', items: { type: ['boolean', 'string', 'number', 'null'] } }],
      },
      msg: { type: 'string', description: 'What the operator reads when a condition is false: say what is wrong and how to fix it.' },
    },
  },
  examples: [{ name: 'Refuse to wipe a disk unless told to', args: { that: '{{or wipe (not sigs.stdout)}}', msg: '/dev/sdb carries a filesystem signature: set wipe: true to erase it' } }],
  reversible: true,
  async inspect() {
    return null;
  },
  plan(_s, args) {
    const list = Array.isArray(args.that) ? args.that : [args.that];
    const failed = list.map((c, i) => (holds(c) ? -1 : i)).filter((i) => i >= 0);
    if (failed.length) throw new ModuleError(args.msg ?? `assertion ${failed.map((i) => i + 1).join(', ')} of ${list.length} is false`);
    return [];
  },
  async apply() {
    return { changed: false };
  },
});
