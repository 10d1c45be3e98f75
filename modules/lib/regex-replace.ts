// Ansible's replace on RE2's linear-time engine: Python-style replacement templates (\1, \g<1>, \g<name>, \n), the
// regexp in multiline mode, and the after/before section the replacement is confined to.

import { RE2JS } from 're2js';
import { ModuleError } from '../../engine/errors.js';

type Part = string | { group: number | string };

function compile(pattern: string, flags: number, what: string): RE2JS {
  try {
    return RE2JS.compile(pattern, flags);
  } catch (e) {
    throw new ModuleError(`invalid ${what} /${pattern}/: ${(e as Error).message} (RE2 syntax: no backreferences or lookaround in patterns)`);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', f: '\f', v: '\v', a: '\x07', b: '\b' };

/** A Python re.sub template as literal text and group references. */
export function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '\\' || i + 1 >= template.length) { text += c; continue; }
    const next = template[i + 1];
    const numbered = /^\d{1,2}/.exec(template.slice(i + 1));
    const named = /^g<([A-Za-z_]\w*|\d+)>/.exec(template.slice(i + 1));
    if (numbered || named) {
      if (text) parts.push(text);
      text = '';
      const ref = numbered ? numbered[0] : named![1];
      parts.push({ group: /^\d+$/.test(ref) ? Number(ref) : ref });
      i += (numbered ? numbered[0] : named![0]).length;
    } else if (next in ESCAPES) {
      text += ESCAPES[next];
      i++;
    } else {
      text += c; // Python keeps an unknown escape as written
    }
  }
  if (text) parts.push(text);
  return parts;
}

/** Every match of regexp in text replaced (multiline mode, as Ansible); returns the new text and the count. */
export function replaceAll(text: string, regexp: string, template: string): { text: string; count: number } {
  const re = compile(regexp, RE2JS.MULTILINE, 'regexp');
  const parts = parseTemplate(template);
  for (const p of parts) {
    if (typeof p !== 'string' && typeof p.group === 'number' && p.group > re.groupCount()) throw new ModuleError(`replace refers to group ${p.group}, but regexp has ${re.groupCount()}`);
  }
  const m = re.matcher(text);
  let out = '';
  let last = 0;
  let count = 0;
  while (m.find()) {
    out += text.slice(last, m.start());
    for (const p of parts) out += typeof p === 'string' ? p : (m.group(p.group as never) ?? '');
    last = m.end();
    count++;
  }
  return { text: out + text.slice(last), count };
}

/** [start, end) of the section between after and before (Ansible's DOTALL search), the whole text without them, null when they do not match. */
export function findSection(text: string, after?: string, before?: string): [number, number] | null {
  if (after === undefined && before === undefined) return [0, text.length];
  const pattern = after !== undefined && before !== undefined ? `${after}(?P<subsection>.*?)${before}` : after !== undefined ? `${after}(?P<subsection>.*)` : `(?P<subsection>.*)${before}`;
  const m = compile(pattern, RE2JS.DOTALL, 'after/before').matcher(text);
  if (!m.find()) return null;
  return [m.start('subsection' as never), m.end('subsection' as never)];
}
