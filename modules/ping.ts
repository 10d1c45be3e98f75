// ping: prove a host can be reached and can run a command (Ansible's ping, without Python). Changes nothing.

import { defineModule } from '../engine/types.js';
import { ModuleError } from '../engine/errors.js';

interface PingArgs { data: string }

export default defineModule<PingArgs, null>({
  name: 'ping',
  doc: 'Connect to the host and run a trivial command (`true`); reports `ping: pong` (or `data`). Changes nothing, runs in check mode. `runbook ping PATTERN` runs it on every matching host.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      data: { type: 'string', default: 'pong', description: 'What a successful ping returns as `ping`. `crash` makes it fail, to test error handling (as in Ansible).' },
    },
  },
  examples: [{ name: 'Check every host answers', args: {} }],
  reversible: true,
  async inspect(host, args) {
    if (args.data === 'crash') throw new ModuleError('boom: ping asked to crash (data: crash)');
    const r = await host.run(['true']);
    if (r.code !== 0) throw new ModuleError(`the host answered but cannot run a command: exit ${r.code}: ${r.stderr.trim()}`);
    return null;
  },
  plan() {
    return [];
  },
  report(_current, args) {
    return { msg: args.data, result: { ping: args.data } };
  },
  async apply() {
    return { changed: false };
  },
});
