// template: a Handlebars file rendered with the task's variables (never HTML-escaped) and written like copy.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';
import { applyContent, inspectContent, planContent, revertContent, type ContentArgs, type ContentData, type ContentState } from './lib/file-content.js';
import { parseMode, readFileState } from './lib/file-state.js';
import { absolutePath, filePath, userName } from './lib/arg-kinds.js';
import { MODE_PATTERN } from './lib/symbolic-mode.js';
import { backupArgument } from './lib/backup-file.js';
import { validateArgument } from './lib/validate-file.js';

interface TemplateArgs extends ContentArgs { src: string }

export default defineModule<TemplateArgs, ContentState, ContentData>({
  name: 'template',
  doc: 'Render a Handlebars template from the controller with the task\'s variables and facts (no HTML escaping; an undefined variable is an error) and write it like copy.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { ...filePath, description: 'Template file on the controller, relative to the playbook\'s folder (or its templates/ subfolder).' },
      dest: { ...absolutePath, description: 'Absolute path of the file on the host.' },
      mode: { type: ['string', 'integer'], pattern: MODE_PATTERN, description: 'Permissions, as an octal string ("0644") or a symbolic mode ("u=rw,go=r", "go-w"). Kept when omitted.' },
      owner: { ...userName, description: 'Owner user name. Kept when omitted.' },
      group: { ...userName, description: 'Group name. Kept when omitted.' },
      force: { type: 'boolean', default: true, description: 'false: only create the file when missing.' },
      backup: backupArgument,
      validate: validateArgument,
    },
  },
  examples: [{ name: 'kubeadm config from variables', args: { src: 'templates/kubeadm.yaml.hbs', dest: '/etc/kubernetes/kubeadm.yaml', mode: '0600' } }],
  reversible: true,
  renders: (args) => [args.src],
  async inspect(host, args, ctx) {
    const candidates = [await ctx.controllerPath('src', args.src), await ctx.controllerPath('src', path.isAbsolute(args.src) ? args.src : path.join('templates', args.src))];
    let text: string | undefined;
    let used = candidates[0];
    for (const c of candidates) {
      text = await fs.readFile(c, 'utf8').catch(() => undefined);
      if (text !== undefined) { used = c; break; }
    }
    if (text === undefined) throw new ModuleError(`template ${args.src} not found (looked at ${candidates.join(', ')})`);
    const rendered = ctx.render(text, path.relative(ctx.playbookDir, used) || used);
    return inspectContent(host, args.dest, Buffer.from(rendered), args.mode);
  },
  plan: (current, args) => planContent(current, args),
  readTarget: (host, args) => readFileState(host, args.dest, 'bounded'),
  apply: async (host, args, changes, current) => applyContent(host, current, args, changes),
  revert: async (host, record) => revertContent(host, record),
});
