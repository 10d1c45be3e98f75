// command: run a program with arguments, no shell. Guards (creates/removes) make it idempotent.

import { ANSIBLE_FREE_FORM_KEYS } from '../engine/load/free-form.js';
import { defineModule } from '../engine/types.js';
import { commandSchemaProps, inspectGuards, planCommand, runCommand, splitCommand, type CommandArgs, type CommandState } from './lib/run-command.js';

/** The schema guarantees exactly one of cmd (not blank) and argv (not empty). */
const argvOf = (args: CommandArgs): string[] => args.argv ?? splitCommand(args.cmd!);

export default defineModule<CommandArgs, CommandState>({
  name: 'command',
  doc: 'Run a program with arguments, without a shell (no pipes, redirections or variable expansion: use shell for those). Registers rc, stdout, stderr. Without creates/removes it cannot know in advance whether it changes anything, so check mode reports it as "would run"; it cannot be rolled back.',
  freeForm: 'cmd',
  freeFormKeys: ANSIBLE_FREE_FORM_KEYS,
  wordArgs: ['cmd'],
  schema: {
    type: 'object',
    additionalProperties: false,
    oneOf: [{ required: ['cmd'] }, { required: ['argv'] }],
    properties: {
      cmd: { type: 'string', title: 'command line', pattern: '\\S', description: 'The command line, split into words like a shell would (quotes honoured), but never interpreted by one.' },
      argv: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'The command as a list of arguments (instead of cmd).' },
      ...commandSchemaProps,
    },
  },
  examples: [
    { name: 'Initialise once', args: { cmd: 'kubeadm init --pod-network-cidr=10.244.0.0/16', creates: '/etc/kubernetes/admin.conf' } },
    { name: 'Read-only probe', args: { argv: ['gluster', 'pool', 'list'] } },
  ],
  reversible: false,
  inspect: async (host, args) => inspectGuards(host, args),
  plan: (s, args) => planCommand(s, args, args.cmd ?? (args.argv ?? []).join(' ')),
  async apply(host, args) {
    return { result: await runCommand(host, argvOf(args), args, args.cmd ?? (args.argv ?? []).join(' ')) };
  },
});
