// include_vars: load a YAML file of variables from the controller (or the first that exists of a list) into the
// host's variables at Ansible's include_vars level; `name` nests them under one key. Values stay templates.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ModuleError } from '../engine/errors.js';
import { loadVarsFile } from '../engine/load/load-playbook.js';
import { defineModule } from '../engine/types.js';

interface IncludeVarsArgs { file: string | string[]; name?: string }
interface Included { file: string; values: Record<string, unknown> }

/** Where a relative name is looked for, in order: the playbook's folder, then its vars/ folder (as Ansible). */
function candidates(args: IncludeVarsArgs, dir: string): string[] {
  const names = Array.isArray(args.file) ? args.file : [args.file];
  return names.flatMap((f) => (path.isAbsolute(f) ? [f] : [path.resolve(dir, f), path.resolve(dir, 'vars', f)]));
}

const exists = (file: string): boolean => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;

export default defineModule<IncludeVarsArgs, Included>({
  name: 'include_vars',
  doc: 'Load variables from a YAML file on the controller (relative to the playbook, then its vars/ folder), or from the first file of a list that exists. They rank above task vars and below set_fact and extra vars; their values are templates like any variable. Changes nothing on the host; runs in check mode too.',
  freeForm: 'file',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['file'],
    properties: {
      file: {
        description: 'The YAML file (a mapping of variables), or a list of files: the first that exists is loaded.',
        anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }],
      },
      name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Put the variables under this one name (`name: app` → `app.port`).' },
    },
  },
  examples: [
    { name: 'Variables of this OS family', args: { file: ['vars/{{ facts.os_family }}.yml', 'vars/default.yml'] } },
    { name: 'Nested under one name', args: { file: 'vars/app.yml', name: 'app' } },
  ],
  reversible: true,
  declaredVariables(args, dir) {
    if (args.name) return [args.name];
    const file = candidates(args, dir).find((f) => !f.includes('{{') && exists(f));
    if (!file) return [];
    try {
      const values = parse(readFileSync(file, 'utf8')) as unknown;
      return values && typeof values === 'object' && !Array.isArray(values) ? Object.keys(values) : [];
    } catch {
      return []; // the run reports the file's own error, at its line
    }
  },
  async inspect(_host, args, ctx) {
    const file = candidates(args, ctx.playbookDir).find(exists);
    if (!file) throw new ModuleError(`include_vars: none of these files exists: ${candidates(args, ctx.playbookDir).join(', ')}`);
    return { file, values: await loadVarsFile(file) };
  },
  plan() {
    return [];
  },
  report(current, args) {
    const values = args.name ? { [args.name]: current.values } : current.values;
    return { msg: `loaded ${Object.keys(current.values).length} variable(s) from ${current.file}`, result: { ansible_facts: values, ansible_included_var_files: [current.file] }, variables: { level: 'include_vars', values } };
  },
  async apply() {
    return { changed: false };
  },
});
