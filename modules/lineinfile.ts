// lineinfile: one line present (replacing the last line matching regexp) or absent, Ansible's semantics.

import { safeRegex, type SafeRegex } from '../engine/template/safe-regex.js';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change } from '../engine/types.js';
import { formatMode, parseMode, readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { filePath, oneLine } from './lib/arg-kinds.js';
import { MODE_PATTERN } from './lib/symbolic-mode.js';
import { backupArgument, backupBeforeChange, removeBackup } from './lib/backup-file.js';
import { validateArgument, validateBeforeWrite } from './lib/validate-file.js';

interface LineArgs {
  path: string;
  line?: string;
  regexp?: string;
  state: 'present' | 'absent';
  insertafter?: string;
  insertbefore?: string;
  create: boolean;
  mode?: string | number;
  backup?: boolean;
  validate?: string;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function lastIndex(lines: string[], re: SafeRegex): number {
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i])) return i;
  return -1;
}

/** The new file text (pure): exported for table-driven tests. */
export function editLines(text: string, args: LineArgs): string {
  const lines = splitLines(text);
  const re = args.regexp !== undefined ? safeRegex(args.regexp) : undefined;
  if (args.state === 'absent') {
    const kept = lines.filter((l) => !(re ? re.test(l) : l === args.line));
    return kept.length === lines.length ? text : kept.map((l) => `${l}\n`).join('');
  }
  const line = args.line!; // the schema requires line unless state: absent
  const hit = re ? lastIndex(lines, re) : -1;
  if (hit >= 0) {
    if (lines[hit] === line) return text;
    lines[hit] = line;
  } else {
    if (lines.includes(line)) return text;
    let at = lines.length;
    if (args.insertbefore !== undefined) {
      at = args.insertbefore === 'BOF' ? 0 : lastIndex(lines, safeRegex(args.insertbefore));
      if (at < 0) at = lines.length;
    } else if (args.insertafter !== undefined && args.insertafter !== 'EOF') {
      const i = lastIndex(lines, safeRegex(args.insertafter));
      at = i < 0 ? lines.length : i + 1;
    }
    lines.splice(at, 0, line);
  }
  return lines.map((l) => `${l}\n`).join('');
}

export default defineModule<LineArgs, FileState, { after: string }>({
  name: 'lineinfile',
  doc: 'Make sure one line is in a file (replacing the last line that matches regexp) or that matching lines are absent. Idempotent; never adds a duplicate; diff and rollback of the whole file.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    allOf: [{ if: { properties: { state: { const: 'present' } } }, then: { required: ['line'] } }],
    properties: {
      path: { ...filePath, targetPath: true, description: 'The file to edit (`~/...`: in the login user\'s home).' },
      line: { ...oneLine, description: 'The line that must be present (state: present).' },
      regexp: { type: 'string', description: 'A regular expression: the last matching line is replaced by line (present) or every matching line removed (absent).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the line must be there.' },
      insertafter: { type: 'string', description: 'When nothing matches: insert after the last line matching this regexp, or EOF (default).' },
      insertbefore: { type: 'string', description: 'When nothing matches: insert before the last line matching this regexp, or BOF.' },
      create: { type: 'boolean', default: false, description: 'Create the file when it does not exist.' },
      mode: { type: ['string', 'integer'], pattern: MODE_PATTERN, description: 'Mode of a created file (octal string, or symbolic: "u=rw,go=r").' },
      backup: backupArgument,
      validate: validateArgument,
    },
  },
  examples: [
    { name: 'Disable swap at boot', args: { path: '/etc/fstab', regexp: '^([^#].*\\sswap\\s)', state: 'absent' } },
    { name: 'A hosts entry', args: { path: '/etc/hosts', regexp: '\\sgluster1$', line: '10.0.0.11 gluster1' } },
  ],
  reversible: true,
  inspect: (host, args) => readFileState(host, args.path),
  readTarget: (host, args) => readFileState(host, args.path),
  plan(current, args): Change<{ after: string }>[] {
    if (current.exists && current.type !== 'file') throw new ModuleError(`${args.path} is a ${current.type}, not a regular file`);
    if (!current.exists) {
      if (args.state === 'absent') return [];
      if (!args.create) throw new ModuleError(`${args.path} does not exist (set create: true to create it)`);
      const after = editLines('', args);
      return [{ msg: `create ${args.path} with line '${args.line}'${args.mode !== undefined ? ` (mode ${formatMode(parseMode(args.mode))})` : ''}`, diff: { path: args.path, before: '', after }, data: { after } }];
    }
    const before = current.content ?? '';
    const after = editLines(before, args);
    if (after === before) return [];
    const msg = args.state === 'absent' ? `remove lines matching ${args.regexp ?? `'${args.line}'`} from ${args.path}` : `set line '${args.line}' in ${args.path}`;
    return [{ msg, diff: { path: args.path, before, after }, data: { after } }];
  },
  async apply(host, args, changes, current) {
    const after = changes[0].data.after;
    if (args.validate) await validateBeforeWrite(host, args.validate, (tmp) => host.writeFile(tmp, after, { mode: 0o600 }), 'edit');
    const backup = await backupBeforeChange(host, args.path, args.backup, current.exists, 'backup');
    await host.writeFile(args.path, after, current.exists ? {} : { mode: parseMode(args.mode) ?? 0o644 });
    return backup;
  },
  async revert(host, record) {
    await restoreFile(host, record.before);
    await removeBackup(host, record.undo);
  },
});
