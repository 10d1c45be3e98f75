// copy: a file with the given content (inline or from a file beside the playbook), mode and owner.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';
import { applyContent, inspectContent, planContent, revertContent, type ContentArgs, type ContentData, type ContentState, type LargeSource } from './lib/file-content.js';
import { LARGE_FILE_BYTES, parseMode, readFileState } from './lib/file-state.js';
import { sha256OfFile } from '../engine/connection/chunked-transfer.js';
import { absolutePath, filePath, userName } from './lib/arg-kinds.js';
import { MODE_PATTERN } from './lib/symbolic-mode.js';
import { backupArgument } from './lib/backup-file.js';
import { validateArgument } from './lib/validate-file.js';

interface CopyArgs extends ContentArgs { content?: string; src?: string }

export default defineModule<CopyArgs, ContentState, ContentData>({
  name: 'copy',
  doc: 'Make a file have exactly the given content (inline `content` or a controller file `src`), mode and owner. Written atomically; diff shows the change; rollback restores the previous file.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['dest'],
    oneOf: [{ required: ['content'] }, { required: ['src'] }],
    properties: {
      dest: { ...absolutePath, description: 'Absolute path of the file on the host.' },
      content: { type: 'string', description: 'The file content. Exactly one of content and src.' },
      src: { ...filePath, description: 'A file on the controller, relative to the playbook\'s folder.' },
      mode: { type: ['string', 'integer'], pattern: MODE_PATTERN, description: 'Permissions, as an octal string ("0644") or a symbolic mode ("u=rw,go=r", "go-w"). Kept when omitted.' },
      owner: { ...userName, description: 'Owner user name. Kept when omitted.' },
      group: { ...userName, description: 'Group name. Kept when omitted.' },
      force: { type: 'boolean', default: true, description: 'false: only create the file when missing; never replace its content.' },
      backup: backupArgument,
      validate: validateArgument,
    },
  },
  examples: [
    { name: 'A config file with a strict mode', args: { dest: '/etc/heketi/heketi.json', src: 'files/heketi.json', mode: '0600' } },
    { name: 'Inline content', args: { dest: '/etc/modules-load.d/k8s.conf', content: 'br_netfilter\n' } },
  ],
  reversible: true,
  async inspect(host, args, ctx) {
    let desired: Buffer | LargeSource;
    if (args.content !== undefined) desired = Buffer.from(args.content);
    else {
      const file = await ctx.controllerPath('src', args.src!);
      const st = await fs.stat(file).catch(() => {
        throw new ModuleError(`src ${args.src} not found (looked at ${file})`);
      });
      if (!st.isFile()) throw new ModuleError(`src ${args.src} is not a regular file (looked at ${file})`);
      // A large source is streamed at apply, never held whole (memory, journal).
      desired = st.size > LARGE_FILE_BYTES ? { file, sha256: await sha256OfFile(file), size: st.size } : await fs.readFile(file);
    }
    return inspectContent(host, args.dest, desired, args.mode);
  },
  plan: (current, args) => planContent(current, args),
  readTarget: (host, args) => readFileState(host, args.dest, 'bounded'),
  apply: async (host, args, changes, current) => applyContent(host, current, args, changes),
  revert: async (host, record) => revertContent(host, record),
});
