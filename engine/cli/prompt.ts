// Asking the operator for a secret on the terminal, without echo. Refused without a TTY (CI, pipes): a prompt that
// nobody can answer would hang the run.

import { UsageError } from '../errors.js';

export async function promptSecret(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new UsageError(`${question.trim()} needs a terminal; give the password in a file instead (--vault-password-file)`);
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let answer = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new UsageError('interrupted at the password prompt'));
        if (ch === '\u007f') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error); else resolve(answer);
    };
    input.on('data', onData);
  });
}
