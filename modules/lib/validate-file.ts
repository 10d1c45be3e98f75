// `validate: "visudo -cf %s"` (copy, template, lineinfile, replace): the new content is written to a temporary file
// on the host first and checked with the command, %s being its path, as Ansible does; a refusal fails the task and
// the file is never touched.

import { ModuleError } from '../../engine/errors.js';
import type { Host, WriteFileOptions } from '../../engine/types.js';
import { mustRun } from './must-run.js';
import { splitCommand } from './run-command.js';

export const validateArgument = {
  type: 'string',
  pattern: '%s',
  patternHint: 'a command with %s where the path of the file to check goes',
  description: 'A command that checks the new content before it replaces the file; %s is replaced by the path of a temporary copy (e.g. "visudo -cf %s"); run without a shell, as Ansible runs it. A non-zero exit fails the task and leaves the file as it was.',
} as const;

/** How the module words a refusal, as Ansible's does: lineinfile and replace put rc and stderr in the message. */
export type ValidateStyle = 'copy' | 'edit';

/** Runs the check on a temporary copy; throws the module's error when the command refuses it. */
export async function validateBeforeWrite(host: Host, command: string, write: (tmp: string) => Promise<void>, style: ValidateStyle): Promise<void> {
  const tmp = (await mustRun(host, ['mktemp', '/tmp/.runbook-validate.XXXXXXXX'], 'mktemp for validate')).stdout.trim();
  try {
    await write(tmp);
    // Substituted after splitting: the temporary path is one word whatever it holds; %% is a literal %, as Python's %.
    const argv = splitCommand(command).map((word) => word.replace(/%(%|s)/g, (_, c: string) => (c === '%' ? '%' : tmp)));
    const res = await host.run(argv);
    if (res.code !== 0) {
      const stderr = res.stderr.trim();
      // Nothing was written yet: rollback has nothing to undo for this task.
      if (style === 'edit') throw new ModuleError(`failed to validate: rc:${res.code} error:${stderr}`, { untouched: true });
      throw new ModuleError(`failed to validate${stderr ? `: ${stderr}` : ''}`, { untouched: true });
    }
  } finally {
    await host.run(['rm', '-f', '--', tmp]);
  }
}

/** The attributes the temporary copy gets (some checks look at them, as Ansible sets them before validating). */
export const validateAttributes = (attrs: WriteFileOptions): WriteFileOptions => ({ ...attrs, mode: attrs.mode ?? 0o600 });
