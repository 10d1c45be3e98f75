// `runbook convert ansible SRC DEST`: runs the converter and prints what it wrote and what it left (TODOs, each at
// file:line). Exit 0 when everything converted, 3 when TODOs remain.

import path from 'node:path';
import { convertAnsible } from '../convert/convert-project.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';

export async function convertCommand(src: string, dest: string, options: { force: boolean }, io: CliIO): Promise<number> {
  const from = path.resolve(io.cwd, src);
  const to = path.resolve(io.cwd, dest);
  const result = await convertAnsible(from, to, options);
  io.out(`wrote ${result.written.length} file(s) into ${dest}:\n`);
  for (const file of result.written) io.out(`  ${file}\n`);
  if (result.todos.length === 0) {
    io.out(`everything converted: \`runbook validate\` the playbooks in ${dest}\n`);
    return EXIT.ok;
  }
  io.out(`${result.todos.length} TODO(s) left (marked \`TODO(convert)\` in the files):\n`);
  for (const t of result.todos) io.out(`  ${path.join(dest, t.file)}:${t.line}: ${t.message}\n`);
  return EXIT.todo;
}
