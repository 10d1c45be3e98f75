// --step: before each task, Ansible's question "Perform task: TASK: NAME (N)o/(y)es/(c)ontinue:", asked once per task
// (for all its hosts) on the terminal. Refused without one: a question nobody can answer would hang the run.

import readline from 'node:readline';
import { UsageError } from '../errors.js';
import type { Task } from '../load/playbook-types.js';

export function stepConfirmer(input: NodeJS.ReadStream, output: NodeJS.WritableStream): (task: Task) => Promise<boolean> {
  if (!input.isTTY) throw new UsageError('--step asks before each task and needs a terminal (standard input is not one); run without --step');
  let continuing = false;
  let previous: Promise<unknown> = Promise.resolve();
  const answers = new WeakMap<Task, Promise<boolean>>();
  return (task) => {
    if (continuing) return Promise.resolve(true);
    let answer = answers.get(task);
    if (!answer) {
      // One question at a time, in the order the tasks asked.
      answer = previous.then((): Promise<string | true> | true => (continuing ? true : ask(input, output, `Perform task: TASK: ${task.name} (N)o/(y)es/(c)ontinue: `)))
        .then((reply) => {
          if (reply === true) return true;
          const word = reply.trim().toLowerCase();
          if (word === 'c' || word === 'continue') continuing = true;
          return continuing || word === 'y' || word === 'yes';
        });
      answers.set(task, answer);
      previous = answer;
    }
    return answer;
  };
}

function ask(input: NodeJS.ReadStream, output: NodeJS.WritableStream, question: string): Promise<string> {
  const lines = readline.createInterface({ input, output, terminal: true });
  return new Promise((resolve) => {
    lines.question(question, (reply) => {
      resolve(reply);
      lines.close();
    });
    lines.once('close', () => resolve(''));
  });
}
