// Layout rules of docs/architecture.md, checkable by anyone: `npm run check:layout`.
// 1. no import cycle in engine/ or modules/ (madge, type-only imports included);
// 2. no function longer than 80 lines in engine/ or modules/ (TypeScript's own parser).
import ts from 'typescript';
import madge from 'madge';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const MAX_LINES = 80;
const problems = [];

const graph = await madge(['engine', 'modules'], { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
for (const cycle of graph.circular()) problems.push(`import cycle: ${cycle.join(' > ')}`);

const files = execSync("git ls-files 'engine/*.ts' 'modules/*.ts'", { encoding: 'utf8' }).split('\n').filter(Boolean);
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_LINES) {
        const name = node.name?.getText?.() ?? '(anonymous)';
        problems.push(`${file}:${start + 1}: function ${name} is ${lines} lines (max ${MAX_LINES})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

for (const p of problems) console.log(p);
console.log(problems.length === 0 ? 'layout: no import cycle, no function over 80 lines' : `layout: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
