// cron: a named entry in a user's crontab or in an /etc/cron.d file, present (schedule or special time, disabled or
// not) or absent; entries carry Ansible's "#Ansible: NAME" marker, so crontabs Ansible manages are taken over as-is.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { ACCOUNT_NAME, runTool } from './lib/accounts.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';

interface CronArgs {
  name: string;
  job?: string;
  state: 'present' | 'absent';
  user?: string;
  cron_file?: string;
  minute: string;
  hour: string;
  day: string;
  month: string;
  weekday: string;
  special_time?: string;
  disabled: boolean;
}

/** The crontab text now: a user's (crontab -l) or a cron.d file's. */
interface CronState { text: string; file?: FileState }

const MARKER = '#Ansible: ';
const FIELD = { type: 'string', pattern: '^[0-9*/,A-Za-z-]+$', patternHint: 'a cron field (5, */10, 1-5, mon,wed, *)' };

function cronFilePath(args: CronArgs): string | undefined {
  if (args.cron_file === undefined) return undefined;
  return args.cron_file.startsWith('/') ? args.cron_file : `/etc/cron.d/${args.cron_file}`;
}

/** The job line as Ansible writes it. */
export function jobLine(args: CronArgs): string {
  const when = args.special_time ? `@${args.special_time}` : [args.minute, args.hour, args.day, args.month, args.weekday].join(' ');
  return `${args.disabled ? '#' : ''}${when} ${args.cron_file !== undefined ? `${args.user ?? 'root'} ` : ''}${args.job}`;
}

/** The new crontab text (pure): the marker and the line after it replaced, added at the end, or removed. */
export function editCrontab(text: string, args: CronArgs): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const at = lines.indexOf(`${MARKER}${args.name}`);
  if (args.state === 'absent') {
    if (at >= 0) lines.splice(at, at + 1 < lines.length ? 2 : 1);
  } else if (at >= 0) {
    lines.splice(at + 1, at + 1 < lines.length ? 1 : 0, jobLine(args));
  } else {
    lines.push(`${MARKER}${args.name}`, jobLine(args));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

async function readCrontab(host: Host, user: string): Promise<string> {
  const res = await host.run(['crontab', '-u', user, '-l']);
  if (res.code === 0) return res.stdout;
  if (/no crontab for/.test(res.stderr)) return '';
  throw new ModuleError(`crontab -u ${user} -l failed (exit ${res.code}): ${res.stderr.trim()}`);
}

async function writeCrontab(host: Host, user: string, text: string): Promise<void> {
  if (text === '') await host.run(['crontab', '-u', user, '-r']);
  else await runTool(host, ['crontab', '-u', user, '-'], text);
}

/** The crontab, or the cron.d file with its attributes. */
async function readCron(host: Host, args: CronArgs): Promise<CronState> {
  const file = cronFilePath(args);
  if (file === undefined) return { text: await readCrontab(host, args.user ?? 'root') };
  const state = await readFileState(host, file);
  return { text: state.content ?? '', file: state };
}

export default defineModule<CronArgs, CronState>({
  name: 'cron',
  doc: 'Make sure a named cron entry is in a user\'s crontab (crontab -u) or in an /etc/cron.d file, with its schedule or special time, enabled or commented out (disabled); or absent. Entries are marked "#Ansible: NAME" as Ansible marks them, so a crontab Ansible managed is taken over. Diff of the crontab; rollback restores it.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: '^[^\\n-][^\\n]*$', patternHint: 'one line, not starting with -', description: 'The entry\'s name (its marker line): unique in the crontab.' },
      job: { type: 'string', pattern: '^[^\\n-][^\\n]*$', patternHint: 'one line, not starting with -', description: 'The command line to run.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'Whether the entry must be there.' },
      user: { ...ACCOUNT_NAME, description: 'Whose crontab (default root); with cron_file, the user the job runs as.' },
      cron_file: { type: 'string', pattern: '^(/[^\\n]+|[A-Za-z0-9_-]+)$', patternHint: 'a file name cron reads (letters, digits, _ and -: cron.d skips names with dots) or an absolute path', description: 'Write to /etc/cron.d/NAME instead of a user\'s crontab.' },
      minute: { ...FIELD, default: '*', description: 'Minute (0-59, */5...).' },
      hour: { ...FIELD, default: '*', description: 'Hour (0-23).' },
      day: { ...FIELD, default: '*', description: 'Day of the month (1-31).' },
      month: { ...FIELD, default: '*', description: 'Month (1-12, jan...).' },
      weekday: { ...FIELD, default: '*', description: 'Day of the week (0-6, sun...).' },
      special_time: { enum: ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'], description: 'Instead of the five fields: @reboot, @daily...' },
      disabled: { type: 'boolean', default: false, description: 'Keep the entry but commented out.' },
    },
    allOf: [
      { if: { properties: { state: { const: 'present' } } }, then: { required: ['job'] } },
      { if: { required: ['special_time'] }, then: { properties: { minute: { const: '*' }, hour: { const: '*' }, day: { const: '*' }, month: { const: '*' }, weekday: { const: '*' } } } },
    ],
  },
  examples: [
    { name: 'Nightly backup as postgres', args: { name: 'pg backup', user: 'postgres', minute: '30', hour: '2', job: '/usr/local/bin/pg-backup' } },
    { name: 'Certificate renewal in cron.d', args: { name: 'renew certs', cron_file: 'certbot', special_time: 'daily', job: 'certbot renew -q' } },
  ],
  reversible: true,
  // The crontab or cron.d file is all inspect reads: rollback's conflict check reads it again.
  readTarget: readCron,
  inspect: (host, args) => readCron(host, args),
  plan(s, args): Change[] {
    const after = editCrontab(s.text, args);
    if (after === s.text) return [];
    const where = cronFilePath(args) ?? `crontab of ${args.user ?? 'root'}`;
    const verb = args.state === 'absent' ? 'remove' : s.text.includes(`${MARKER}${args.name}\n`) ? 'update' : 'add';
    return [{ msg: `${verb} cron entry '${args.name}' in ${where}`, diff: { path: where, before: s.text, after }, data: { after } }];
  },
  async apply(host, args, changes) {
    const after = (changes[0].data as { after: string }).after;
    const file = cronFilePath(args);
    if (file === undefined) return writeCrontab(host, args.user ?? 'root', after);
    await host.writeFile(file, after, { mode: 0o644, owner: 'root', group: 'root' });
  },
  async revert(host, { before, args }) {
    if (before.file) return restoreFile(host, before.file);
    await writeCrontab(host, args.user ?? 'root', before.text);
  },
});
