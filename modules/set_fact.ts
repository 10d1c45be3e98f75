// set_fact: set variables of the host from rendered values, at Ansible's level (with registered results, above
// include_vars and task vars, below extra vars); later tasks, hostvars and other hosts' hostvar see them.

import { defineModule } from '../engine/types.js';

type SetFactArgs = Record<string, unknown> & { cacheable?: boolean };

const variablesOf = (args: SetFactArgs): Record<string, unknown> => Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'cacheable'));

export default defineModule<SetFactArgs, null>({
  name: 'set_fact',
  doc: 'Set variables of the host (each argument is one; values are rendered when the task runs and then kept as data). They rank above task vars and include_vars and below extra vars, and other hosts read them through `hostvar`/`hostvars`. Changes nothing on the host; runs in check mode too.',
  schema: {
    type: 'object',
    minProperties: 1,
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    additionalProperties: { description: 'A variable to set: its name and value.' },
    properties: {
      cacheable: { type: 'boolean', description: "Accepted for Ansible's sake and ignored: runbook keeps no fact cache between runs (the task says so)." },
    },
  },
  examples: [{ name: 'Remember the join command for the workers', args: { join_command: '{{ kubeadm_token.stdout }}', cluster_ready: true } }],
  reversible: true,
  declaredVariables: (args) => Object.keys(variablesOf(args)),
  async inspect() {
    return null;
  },
  plan() {
    return [];
  },
  report(_current, args) {
    const values = variablesOf(args);
    const note = args.cacheable ? ' (cacheable ignored: runbook keeps no fact cache between runs)' : '';
    return { msg: `set ${Object.keys(values).join(', ')}${note}`, result: { ansible_facts: values }, variables: { level: 'set_fact', values } };
  },
  async apply() {
    return { changed: false };
  },
});
