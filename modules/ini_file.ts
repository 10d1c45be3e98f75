// ini_file: one option of an INI file set or removed in one section (or before the first), Ansible's semantics.

import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';
import { editIni, type IniEdit } from './lib/ini-edit.js';
import { applyTextEdit, inspectTextFile, planTextEdit, readEditedFile, revertTextEdit, type TextEditArgs, type TextEditData, type TextEditState } from './lib/text-edit.js';
import { backupArgument } from './lib/backup-file.js';
import { filePath, userName } from './lib/arg-kinds.js';
import { MODE_PATTERN } from './lib/symbolic-mode.js';

type Scalar = string | number | boolean;

interface IniArgs extends TextEditArgs, Omit<IniEdit, 'values' | 'section'> {
  section?: Scalar | null;
  value?: Scalar | null;
  values?: Array<Scalar | null>;
  create: boolean;
  follow: boolean;
}

/** Ansible's str() of a YAML scalar: True/False for booleans. */
const text = (value: Scalar): string => (typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));

function describe(args: IniArgs, section: string | undefined): string {
  const where = section ? `section [${section}]` : 'the lines before the first section';
  if (args.state === 'absent') return args.option ? `remove ${args.option} from ${where}` : `remove ${where}`;
  return args.option ? `set ${args.option} in ${where}` : `add ${where}`;
}

export default defineModule<IniArgs, TextEditState, TextEditData>({
  name: 'ini_file',
  doc: 'Set or remove one option (one or several values) in one section of an INI file, or add or remove a whole section, as Ansible\'s community.general.ini_file does (its layout: "option = value", new options after the section\'s last setting, new sections at the end). Diff and rollback of the whole file.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    allOf: [
      { not: { required: ['value', 'values'] } },
      { if: { anyOf: [{ required: ['value'] }, { required: ['values'] }] }, then: { required: ['option'] } },
      // Ansible: "Parameter 'value(s)' must be defined if state=present and allow_no_value=False."
      {
        if: { not: { anyOf: [{ required: ['state'], properties: { state: { const: 'absent' } } }, { required: ['allow_no_value'], properties: { allow_no_value: { const: true } } }, { required: ['values'] }] } },
        then: { required: ['value'] },
      },
    ],
    properties: {
      path: { ...filePath, targetPath: true, description: 'The INI file (`~/...`: in the login user\'s home); a symlink is followed. Ansible\'s alias dest is read too.' },
      section: { type: ['string', 'number', 'null'], description: 'The section name (without brackets). Omitted, null or empty: the lines before the first section.' },
      option: { type: 'string', minLength: 1, description: 'The option name. Omitted: the task adds (present) or removes (absent) the whole section. Ansible\'s alias key is read too.' },
      value: { type: ['string', 'number', 'boolean', 'null'], description: 'The value (value: v is values: [v]). Needed with state: present unless allow_no_value.' },
      values: { type: 'array', minItems: 1, items: { type: ['string', 'number', 'boolean', 'null'] }, description: 'Several values, one "option = value" line each (duplicates dropped).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: the option has the value(s) (or the section exists); absent: the option (or the whole section) is removed.' },
      exclusive: { type: 'boolean', default: true, description: 'true: the option keeps only the given values (present) or loses every line (absent); false: only the given values are added or removed.' },
      no_extra_spaces: { type: 'boolean', default: false, description: 'Write "option=value" instead of "option = value".' },
      allow_no_value: { type: 'boolean', default: false, description: 'Allow an option without a value (a bare "option" line).' },
      ignore_spaces: { type: 'boolean', default: false, description: 'Leave an active line alone when only the spaces around "=" differ.' },
      modify_inactive_option: { type: 'boolean', default: true, description: 'true: a commented-out line of the option ("# option = x", "; option = x") is reused for the value; false: only active lines are.' },
      follow: { type: 'boolean', default: false, description: 'A symlink at path: true edits the file it points to; false (Ansible\'s default) replaces the symlink by a regular file with the edited content.' },
      create: { type: 'boolean', default: true, description: 'Create the file (and its missing folders) when it does not exist; false: a missing file is an error.' },
      backup: backupArgument,
      mode: { type: ['string', 'integer'], pattern: MODE_PATTERN, description: 'Permissions (octal string "0644" or symbolic "u=rw,go=r"). Kept when omitted; 0644 for a created file.' },
      owner: { ...userName, description: 'Owner user name. Kept when omitted.' },
      group: { ...userName, description: 'Group name. Kept when omitted.' },
    },
  },
  examples: [
    { name: 'A setting in a section', args: { path: '/etc/php/8.2/fpm/php.ini', section: 'PHP', option: 'memory_limit', value: '256M' } },
    { name: 'Before the first section, without spaces', args: { path: '/etc/default/app', section: null, option: 'ENABLED', value: 1, no_extra_spaces: true } },
    { name: 'Remove a section', args: { path: '/etc/app.ini', section: 'legacy', state: 'absent' } },
  ],
  reversible: true,
  inspect: (host, args) => inspectTextFile(host, args.path, args.follow),
  readTarget: (host, args) => readEditedFile(host, args.path, args.follow),
  plan(current, args) {
    if (!current.file.exists && !args.create) throw new ModuleError(`${args.path} does not exist (create: false)`);
    const section = args.section === undefined || args.section === null ? undefined : text(args.section);
    const given = args.value !== undefined && args.value !== null ? [args.value] : args.values ?? [];
    const edit: IniEdit = { ...args, section, values: given.filter((value): value is Scalar => value !== null).map(text) };
    return planTextEdit(current, args, (before) => ({ ...editIni(before, edit), msg: describe(args, section) }));
  },
  apply: (host, args, changes, current) => applyTextEdit(host, current, args, changes),
  revert: (host, record) => revertTextEdit(host, record),
});
