// blockinfile: a block of lines between two marker lines inserted, replaced or removed, Ansible's semantics.

import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';
import { editBlock, markerLines, type BlockEdit } from './lib/block-edit.js';
import { applyTextEdit, inspectTextFile, planTextEdit, readEditedFile, revertTextEdit, type TextEditArgs, type TextEditData, type TextEditState } from './lib/text-edit.js';
import { backupArgument } from './lib/backup-file.js';
import { validateArgument } from './lib/validate-file.js';
import { filePath, userName } from './lib/arg-kinds.js';
import { MODE_PATTERN } from './lib/symbolic-mode.js';

interface BlockArgs extends TextEditArgs, BlockEdit {
  create: boolean;
}

export default defineModule<BlockArgs, TextEditState, TextEditData>({
  name: 'blockinfile',
  doc: 'Insert, update or remove a block of lines between two marker lines ("# BEGIN ANSIBLE MANAGED BLOCK" ... "# END ..."), as Ansible\'s blockinfile does: the block replaces the one between the markers, or goes after/before the last line matching a regular expression (RE2), or at the end. An empty block removes it. Diff and rollback of the whole file.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    not: { required: ['insertafter', 'insertbefore'] },
    properties: {
      path: { ...filePath, targetPath: true, description: 'The file to edit (`~/...`: in the login user\'s home); a symlink is followed. Ansible\'s aliases dest, destfile and name are read too.' },
      block: { type: 'string', default: '', description: 'The lines between the markers (a final line break is added). Empty: the block is removed, as with state: absent. Ansible\'s alias content is read too.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the block must be there.' },
      marker: { type: 'string', default: '# {mark} ANSIBLE MANAGED BLOCK', pattern: '^[^\\n\\r]*$', description: 'The marker line; {mark} becomes marker_begin or marker_end. Give each block in a file its own marker.' },
      marker_begin: { type: 'string', default: 'BEGIN', description: 'What {mark} becomes in the first marker line.' },
      marker_end: { type: 'string', default: 'END', description: 'What {mark} becomes in the last marker line.' },
      insertafter: { type: 'string', description: 'With no markers in the file yet: insert after the last line matching this regular expression (RE2; a leading (?m) matches the whole text), or EOF (the default). No match: at the end.' },
      insertbefore: { type: 'string', description: 'With no markers in the file yet: insert before the last line matching this regular expression (RE2; a leading (?m) matches the whole text), or BOF. No match: at the end.' },
      create: { type: 'boolean', default: false, description: 'Create the file (and its missing folders) when it does not exist.' },
      append_newline: { type: 'boolean', default: false, description: 'Put a blank line after the block when the next line is not blank (state: present).' },
      prepend_newline: { type: 'boolean', default: false, description: 'Put a blank line before the block when the previous line is not blank (state: present).' },
      backup: backupArgument,
      validate: validateArgument,
      mode: { type: ['string', 'integer'], pattern: MODE_PATTERN, description: 'Permissions (octal string "0644" or symbolic "u=rw,go=r"). Kept when omitted; 0644 for a created file.' },
      owner: { ...userName, description: 'Owner user name. Kept when omitted.' },
      group: { ...userName, description: 'Group name. Kept when omitted.' },
    },
  },
  examples: [
    { name: 'Static hosts entries', args: { path: '/etc/hosts', block: '10.0.0.11 gluster1\n10.0.0.12 gluster2', marker: '# {mark} gluster peers' } },
    { name: 'A Match block at the end of sshd_config', args: { path: '/etc/ssh/sshd_config', block: 'Match User backup\n  PasswordAuthentication no', validate: '/usr/sbin/sshd -t -f %s' } },
    { name: 'Remove a block', args: { path: '/etc/hosts', marker: '# {mark} gluster peers', state: 'absent' } },
  ],
  reversible: true,
  inspect: (host, args) => inspectTextFile(host, args.path),
  readTarget: (host, args) => readEditedFile(host, args.path),
  plan(current, args) {
    // As Ansible: a missing file without create fails even for state: absent.
    if (!current.file.exists && !args.create) throw new ModuleError(`${args.path} does not exist (set create: true to create it)`);
    if (!current.file.exists && args.state === 'absent') return [];
    return planTextEdit(current, args, (text) => {
      const after = editBlock(text, args);
      const removed = args.state === 'absent' || args.block === '';
      const marker = markerLines(args)[0].trim();
      return { text: after, changed: after !== text, msg: removed ? `remove block '${marker}'` : `set block '${marker}'` };
    });
  },
  apply: (host, args, changes, current) => applyTextEdit(host, current, args, changes),
  revert: (host, record) => revertTextEdit(host, record),
});
