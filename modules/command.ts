// command: run a program with arguments, no shell. Guards (creates/removes) make it idempotent.

import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';
import { commandSchemaProps, inspectGuards, planCommand, runCommand, splitCommand, type CommandArgs, type CommandState } from './lib/run-command.js';

function argvOf(args: CommandArgs): string[] {
  if ((args.cmd === undefined) === (args.argv === undefined)) throw new ModuleError('command needs exactly one of cmd and argv');
  const argv = args.argv ?? splitCommand(args.cmd!);
  if (argv.length === 0) throw new ModuleError('command is empty');
  return argv;
}

export default defineModule<CommandArgs, CommandState>({
  name: 'command',
  doc: 'Run a program with arguments, without a shell (no pipes, redirections or variable expansion: use shell for those). Registers rc, stdout, stderr. Without creates/removes it cannot know in advance whether it changes anything, so check mode reports it as "would run"; it cannot be rolled back.',
  freeForm: 'cmd',
  shellArgs: ['cmd'],
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      cmd: { type: 'string', description: 'The command line, split into words like a shell would (quotes honoured), but never interpreted by one.' },
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
