// Module reference generated from each module's schema: text for `runbook modules NAME`, markdown for docs/modules.md.

import { stringify as toYaml } from 'yaml';
import type { ModuleDefinition } from '../types.js';
import { describeRules } from '../load/schema-conditions.js';

interface Arg { name: string; type: string; required: boolean; default?: unknown; choices?: unknown[]; description: string }

function typeOf(p: Record<string, any>): string {
  if (p.enum) return 'choice';
  if (Array.isArray(p.type)) return p.type.join('|');
  if (p.type === 'array') return `list of ${p.items ? typeOf(p.items) : 'values'}`;
  // A kind (package name, absolute path...) is named by its title.
  if (p.type === 'string' && p.title) return `string (${p.title})`;
  if (p.type) return String(p.type);
  if (p.anyOf || p.oneOf) return (p.anyOf ?? p.oneOf).map((x: Record<string, any>) => typeOf(x)).join('|');
  return 'any';
}

export function moduleArgs(def: ModuleDefinition): Arg[] {
  const schema = def.schema as { properties?: Record<string, Record<string, any>>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name, type: typeOf(p), required: (schema.required ?? []).includes(name), default: p.default, choices: p.enum, description: p.description ?? '',
  }));
}

export function describeModuleText(def: ModuleDefinition): string {
  const lines = [`${def.name} — ${def.doc}`, ''];
  if (def.freeForm) lines.push(`Free form: \`${def.name}: <${def.freeForm}>\``, '');
  lines.push(`Check mode: yes (inspect + plan). Diff: yes. Rollback: ${def.reversible ? 'yes' : 'no (changes are reported as irreversible)'}.`, '', 'Arguments:');
  for (const a of moduleArgs(def)) {
    const extra = [a.required ? 'required' : undefined, a.default !== undefined ? `default ${JSON.stringify(a.default)}` : undefined, a.choices ? `one of ${a.choices.map((c) => JSON.stringify(c)).join(', ')}` : undefined].filter(Boolean).join('; ');
    lines.push(`  ${a.name} (${a.type}${extra ? `; ${extra}` : ''})`, `      ${a.description}`);
  }
  const rules = describeRules(def.schema);
  if (rules.length > 0) lines.push('', 'Rules:', ...rules.map((r) => `  ${r.replace(/`/g, '')}`));
  if (def.examples.length > 0) {
    lines.push('', 'Examples:');
    for (const ex of def.examples) lines.push(`  - name: ${ex.name}`, ...toYaml({ [def.name]: ex.args }).trimEnd().split('\n').map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

export function moduleReferenceMarkdown(defs: ModuleDefinition[]): string {
  const out = ['# Module reference', '', 'Generated from the modules\' schemas by `node scripts/gen-module-docs.mjs` — do not edit by hand.', '', 'Every module supports check mode (`--check` = inspect + plan, never a write) and `--diff`.', ''];
  out.push('| module | rollback | what it does |', '|---|---|---|');
  for (const d of defs) out.push(`| [${d.name}](#${d.name}) | ${d.reversible ? 'yes' : 'no'} | ${d.doc.split('. ')[0].replace(/\|/g, '\\|')}. |`);
  for (const d of defs) {
    out.push('', `## ${d.name}`, '', d.doc, '');
    if (d.freeForm) out.push(`Free form: \`${d.name}: <${d.freeForm}>\`.`, '');
    out.push('| argument | type | required | default | description |', '|---|---|---|---|---|');
    for (const a of moduleArgs(d)) {
      const type = a.choices ? a.choices.map((c) => `\`${String(c)}\``).join(', ') : a.type;
      out.push(`| \`${a.name}\` | ${type} | ${a.required ? 'yes' : ''} | ${a.default !== undefined ? `\`${JSON.stringify(a.default)}\`` : ''} | ${a.description.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
    }
    const rules = describeRules(d.schema);
    if (rules.length > 0) out.push('', ...rules.map((r) => `- ${r}`));
    if (d.examples.length > 0) {
      out.push('', '```yaml');
      for (const ex of d.examples) out.push(`- name: ${ex.name}`, ...toYaml({ [d.name]: ex.args }).trimEnd().split('\n').map((l) => `  ${l}`));
      out.push('```');
    }
  }
  return `${out.join('\n')}\n`;
}
