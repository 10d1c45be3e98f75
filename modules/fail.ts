// fail: stop the host with the operator's message (usually under `when`). Reads and changes nothing.

import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';

interface FailArgs { msg?: unknown }

export default defineModule<FailArgs, null>({
  name: 'fail',
  doc: 'Fail the host with a message (a template), usually with `when`. Changes nothing; fails in check mode too.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      msg: { description: 'What the operator reads: what is wrong and how to fix it. Default "Failed as requested from task".' },
    },
  },
  examples: [{ name: 'Refuse an unsupported system', args: { msg: 'this role supports Debian only, not {{ facts.os_family }}' } }],
  reversible: true,
  async inspect() {
    return null;
  },
  plan(_current, args) {
    const msg = args.msg === undefined ? 'Failed as requested from task' : typeof args.msg === 'string' ? args.msg : JSON.stringify(args.msg);
    throw new ModuleError(msg, { result: { msg } });
  },
  async apply() {
    return { changed: false };
  },
});
