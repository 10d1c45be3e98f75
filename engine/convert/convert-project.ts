// `runbook convert ansible SRC DEST`: every file of an Ansible playbook, role or project written into DEST as runbook
// reads it. YAML is converted by its place (a role's tasks/, defaults/, group_vars/...) or shape, templates/ files
// and *.j2 are converted templates, everything else (files/, INI inventories) is copied as it is.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { helperNames } from '../template/render.js';
import { convertYaml, type Knowledge, type Todo, type YamlKind } from './convert-yaml.js';
import { convertTemplate } from './jinja-template.js';

export type { Todo } from './convert-yaml.js';

/** The files written into DEST (relative to it) and what was left for the user. */
export interface ConversionResult { written: string[]; todos: Todo[] }

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.runbook', '__pycache__']);
const HANDLEBARS_KEYWORDS = ['else', 'true', 'false', 'null', 'undefined', 'this', 'as'];

async function knowledge(): Promise<Knowledge> {
  const { loadCorePack } = await import('../../modules/index.js');
  const pack = await loadCorePack();
  const modules = new Map(pack.modules.map((m) => {
    const schema = m.schema as { properties?: object; additionalProperties?: unknown };
    const open = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
    return [m.name, { names: new Set(Object.keys(schema.properties ?? {})), open, freeForm: m.freeForm }];
  }));
  return { modules, reserved: [...helperNames(), ...HANDLEBARS_KEYWORDS] };
}

async function filesUnder(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) out.push(...await filesUnder(path.join(dir, entry.name), base));
    else if (entry.isFile()) out.push(path.relative(base, path.join(dir, entry.name)));
  }
  return out.sort();
}

async function ensureWritable(dest: string, force: boolean): Promise<void> {
  const entries = await fs.readdir(dest).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  if (entries.length > 0 && !force) throw new UsageError(`${dest} is not empty: nothing written (--force writes into it, replacing files of the same name)`);
}

type Handling = { as: 'yaml'; kind?: YamlKind } | { as: 'template' } | { as: 'copy' };

/** How a file is converted, from where it sits. */
function handlingOf(relative: string): Handling {
  const folders = path.dirname(relative).split(path.sep);
  const ext = path.extname(relative);
  if (folders.includes('files')) return { as: 'copy' };
  if (folders.includes('templates') || ext === '.j2') return { as: 'template' };
  const varsFolder = folders.some((f) => ['group_vars', 'host_vars', 'defaults', 'vars'].includes(f));
  if (ext !== '.yml' && ext !== '.yaml' && !(varsFolder && ext === '')) return { as: 'copy' };
  if (folders.includes('tasks') || folders.includes('handlers')) return { as: 'yaml', kind: 'tasks' };
  return varsFolder || folders.includes('meta') ? { as: 'yaml', kind: 'vars' } : { as: 'yaml' };
}

function convertTemplateFile(text: string, file: string, todos: Todo[]): string {
  const result = convertTemplate(text, knowledgeCache!.reserved);
  if (result.ok) return result.text;
  const [problem] = result.problems;
  todos.push({ file, line: problem.line, message: problem.message });
  // Left as written: Handlebars shows the Jinja text (escaped) until someone converts it.
  return `{{!-- TODO(convert): line ${problem.line}: ${problem.message.replace(/--/g, '- -')} --}}\n${text.replace(/\{\{/g, '\\{{')}`;
}

let knowledgeCache: Knowledge | undefined;

async function convertFile(src: string, relative: string, dest: string, todos: Todo[]): Promise<void> {
  const from = path.join(src, relative);
  const to = path.join(dest, relative);
  await fs.mkdir(path.dirname(to), { recursive: true });
  const handling = handlingOf(relative);
  if (handling.as === 'copy') {
    await fs.copyFile(from, to);
    await fs.chmod(to, (await fs.stat(from)).mode & 0o777);
    return;
  }
  const text = await fs.readFile(from, 'utf8');
  if (handling.as === 'template') return fs.writeFile(to, convertTemplateFile(text, relative, todos));
  const result = convertYaml(text, relative, knowledgeCache!, handling.kind);
  todos.push(...result.todos);
  await fs.writeFile(to, result.text);
}

/** Convert SRC (a playbook file, a role folder or a project folder) into DEST. */
export async function convertAnsible(src: string, dest: string, options: { force: boolean }): Promise<ConversionResult> {
  const stat = await fs.stat(src).catch(() => undefined);
  if (!stat) throw new UsageError(`${src}: no such file or folder`);
  await ensureWritable(dest, options.force);
  knowledgeCache ??= await knowledge();
  const base = stat.isDirectory() ? src : path.dirname(src);
  const files = stat.isDirectory() ? await filesUnder(src) : [path.basename(src)];
  const todos: Todo[] = [];
  for (const relative of files) await convertFile(base, relative, dest, todos);
  return { written: files, todos };
}
