// shell: run a command line through /bin/sh (pipes, redirections, globbing). Guards make it idempotent.

import { ANSIBLE_FREE_FORM_KEYS } from '../engine/load/free-form.js';
import { defineModule } from '../engine/types.js';
import { commandSchemaProps, inspectGuards, planCommand, runCommand, type CommandArgs, type CommandState } from './lib/run-command.js';

export default defineModule<CommandArgs, CommandState>({
  name: 'shell',
  doc: 'Run a command line with /bin/sh -c (pipes, redirections, globbing). Values from variables are inserted as text: prefer command with argv when they come from users. Registers rc, stdout, stderr; check mode reports "would run" unless creates/removes decide; cannot be rolled back.',
  freeForm: 'cmd',
  freeFormKeys: ANSIBLE_FREE_FORM_KEYS,
  shellArgs: ['cmd'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['cmd'],
    properties: {
      cmd: { type: 'string', description: 'The shell command line.' },
      ...commandSchemaProps,
    },
  },
  examples: [{ name: 'Flannel once the API answers', args: { cmd: 'kubectl apply -f kube-flannel.yml > /var/log/flannel-apply.log', creates: '/var/log/flannel-apply.log' } }],
  reversible: false,
  inspect: async (host, args) => inspectGuards(host, args),
  plan: (s, args) => planCommand(s, args, args.cmd!),
  async apply(host, args) {
    return { result: await runCommand(host, ['sh', '-c', args.cmd!], args, args.cmd!) };
  },
});
