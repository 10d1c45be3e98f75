// `node kubernetes-validate-main.js` on a lab host, called by the kubectl stand-in: reads {minor, source, items} as JSON on
// stdin and prints, per object, null (valid), "unknown-kind", or the refusal as kubectl prints it (JSON array on stdout).

import { validateObjects, type ValidateInput } from './kubernetes-validate.js';

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ValidateInput;
process.stdout.write(`${JSON.stringify(await validateObjects(input))}\n`);
