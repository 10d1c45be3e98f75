// validate_argument_spec: check variables against an argument spec (Ansible's module of that name, and what runs
// first in a role with meta/argument_specs.yml): required options, types, choices, in Ansible's words.

import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';
import { argumentSpecErrors, type OptionSpec } from './lib/argument-spec.js';

interface ValidateArgs { argument_spec: Record<string, OptionSpec>; provided_arguments?: Record<string, unknown> }

export default defineModule<ValidateArgs, null>({
  name: 'validate_argument_spec',
  doc: "Fail the host with Ansible's message when variables do not match an argument spec (options with type, required, choices, elements, options). A role with meta/argument_specs.yml runs it first, with the spec of its entry point (main, or tasks_from). Changes nothing; runs in check mode too.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['argument_spec'],
    properties: {
      argument_spec: { type: 'object', description: 'Option name → {type: str|int|float|bool|list|dict|path|raw, required, choices, elements, options}.' },
      provided_arguments: { type: 'object', description: "The values to check; without it, the task's variables." },
    },
  },
  examples: [{ name: 'The port must be a number', args: { argument_spec: { app_port: { type: 'int', required: true } } } }],
  reversible: true,
  async inspect() {
    return null;
  },
  plan(_state, args, ctx) {
    const source = args.provided_arguments ?? ctx.vars;
    const errors = argumentSpecErrors(args.argument_spec, (name) => {
      const found = Object.prototype.hasOwnProperty.call(source, name);
      return { found, value: found ? source[name] : undefined };
    });
    if (errors.length > 0) throw new ModuleError(`Validation of arguments failed:\n${errors.join('\n')}`);
    return [];
  },
  async apply() {
    return { changed: false };
  },
});
