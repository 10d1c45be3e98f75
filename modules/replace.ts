// replace: every match of a regular expression in a file replaced (backreferences, after/before bounds), Ansible's
// semantics on RE2; diff and rollback of the whole file.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { findSection, replaceAll } from './lib/regex-replace.js';
import { backupArgument, backupBeforeChange, removeBackup } from './lib/backup-file.js';
import { validateArgument, validateBeforeWrite } from './lib/validate-file.js';

interface ReplaceArgs {
  path: string;
  regexp: string;
  replace: string;
  after?: string;
  before?: string;
  backup?: boolean;
  validate?: string;
}

/** The new text and how many matches were replaced (pure). */
export function replaceInText(text: string, args: ReplaceArgs): { text: string; count: number; sectionFound: boolean } {
  const section = findSection(text, args.after, args.before);
  if (!section) return { text, count: 0, sectionFound: false };
  const [start, end] = section;
  const replaced = replaceAll(text.slice(start, end), args.regexp, args.replace);
  return { text: text.slice(0, start) + replaced.text + text.slice(end), count: replaced.count, sectionFound: true };
}

export default defineModule<ReplaceArgs, FileState, { after: string }>({
  name: 'replace',
  doc: 'Replace every match of a regular expression in a file (multiline mode: ^ and $ match at each line), with backreferences (\\1, \\g<name>), optionally only between the first match of after and the next of before. RE2 syntax (linear time). Changed only when the text changes; diff and rollback of the whole file.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path', 'regexp'],
    properties: {
      path: { type: 'string', pattern: '^(/|~(/|$))', patternHint: 'an absolute path (or ~/...)', targetPath: true, description: 'The file to edit (must exist).' },
      regexp: { type: 'string', minLength: 1, description: 'The regular expression (Python/RE2 syntax, named groups as (?P<name>...)).' },
      replace: { type: 'string', default: '', description: 'The replacement; \\1 or \\g<1> or \\g<name> insert a group. Empty removes the matches.' },
      after: { type: 'string', minLength: 1, description: 'Replace only after the first match of this regular expression (DOTALL).' },
      before: { type: 'string', minLength: 1, description: 'Replace only before the match of this regular expression (DOTALL).' },
      backup: backupArgument,
      validate: validateArgument,
    },
  },
  examples: [
    { name: 'Swap an NTP server', args: { path: '/etc/chrony/chrony.conf', regexp: '^pool (\\S+) iburst$', replace: 'server ntp.internal iburst # was \\1' } },
    { name: 'Only inside one section', args: { path: '/etc/app.ini', after: '\\[database\\]', before: '\\[', regexp: '^host = .*$', replace: 'host = db.internal' } },
  ],
  reversible: true,
  inspect: (host, args) => readFileState(host, args.path),
  readTarget: (host, args) => readFileState(host, args.path),
  plan(current, args): Change<{ after: string }>[] {
    if (!current.exists) throw new ModuleError(`${args.path} does not exist`);
    if (current.type !== 'file' || current.binary) throw new ModuleError(`${args.path} is not a text file`);
    const before = current.content ?? '';
    const result = replaceInText(before, args);
    if (result.text === before) return [];
    return [{ msg: `replace ${result.count} match${result.count === 1 ? '' : 'es'} in ${args.path}`, diff: { path: args.path, before, after: result.text }, data: { after: result.text } }];
  },
  async apply(host, args, changes) {
    if (args.validate) await validateBeforeWrite(host, args.validate, (tmp) => host.writeFile(tmp, changes[0].data.after, { mode: 0o600 }), 'edit');
    const backup = await backupBeforeChange(host, args.path, args.backup, true);
    await host.writeFile(args.path, changes[0].data.after);
    return backup;
  },
  async revert(host, record) {
    await restoreFile(host, record.before);
    await removeBackup(host, record.undo);
  },
});
