// A role's argument specs (meta/argument_specs.yml, or `argument_specs:` in meta/main.yml), as Ansible reads them:
// the spec of the entry point (main, or the tasks_from file) becomes a first task of the role that checks the
// role's variables (validate_argument_spec), tagged always, so a wrong type or a missing option fails the host
// with Ansible's message before any task of the role runs.

import { RunbookError, type SourceLocation } from '../errors.js';
import type { Task } from './playbook-types.js';
import { roleFile } from './role-search.js';
import { readYaml, type SourceFile } from './yaml-source.js';

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Only what the check reads: descriptions and other documentation are left out of the task's arguments. */
const CHECKED = ['type', 'required', 'choices', 'elements', 'options'];
function checkedOptions(options: Mapping): Mapping {
  return Object.fromEntries(Object.entries(options).map(([name, spec]) => {
    const kept = Object.fromEntries(Object.entries(isMapping(spec) ? spec : {}).filter(([k]) => CHECKED.includes(k)));
    if (isMapping(kept.options)) kept.options = checkedOptions(kept.options);
    return [name, kept];
  }));
}

async function specsOf(dir: string, problem: (e: RunbookError) => void, from: SourceLocation): Promise<{ specs: Mapping; src: SourceFile } | undefined> {
  for (const name of ['argument_specs', 'main']) {
    const file = await roleFile(dir, 'meta', name);
    if (!file) continue;
    try {
      const src = await readYaml(file, 'role argument specs', from);
      const specs = isMapping(src.value) ? src.value.argument_specs : undefined;
      if (specs === undefined) continue;
      if (isMapping(specs)) return { specs, src };
      problem(new RunbookError('VALIDATION', 'argument_specs must be a mapping of entry points (main, ...) to {options: ...}', { location: src.loc(['argument_specs']) }));
    } catch (e) {
      if (e instanceof RunbookError) { problem(e); return undefined; }
      throw e;
    }
  }
  return undefined;
}

/** The task that checks the role's variables against its entry point's spec, or undefined when it has none. */
export async function argumentSpecTask(dir: string, entryPoint: string, problem: (e: RunbookError) => void, location: SourceLocation): Promise<Task | undefined> {
  const found = await specsOf(dir, problem, location);
  const spec = found?.specs[entryPoint];
  if (!found || !isMapping(spec)) return undefined;
  const summary = typeof spec.short_description === 'string' ? ` - ${spec.short_description}` : '';
  return {
    name: `Validating arguments against arg spec '${entryPoint}'${summary}`,
    module: 'validate_argument_spec',
    args: { argument_spec: checkedOptions(isMapping(spec.options) ? spec.options : {}) },
    loop_var: 'item', notify: [], listen: [], tags: ['always'], ignore_errors: false, retries: 0, delay: 0,
    run_once: false, no_log: false, vars: {}, location: found.src.loc(['argument_specs', entryPoint]),
  };
}
