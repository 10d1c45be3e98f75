// Ansible's key=value words inside a free-form command (`command: touch /tmp/x creates=/tmp/x chdir=/tmp`): the
// words whose key is one of Ansible's own (creates, removes, chdir, ...) are taken out of the command line and become
// arguments, wherever they stand, as Ansible's parse_kv does. Words inside quotes or templates are left alone.

/** The keys Ansible takes out of a command/shell free-form string (ansible/parsing/splitter.py, check_raw). */
export const ANSIBLE_FREE_FORM_KEYS = ['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends'];

interface Word { start: number; end: number }

/** Words split on whitespace outside quotes and outside {{ }} (like Ansible's split_args), with their positions. */
function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  let start = -1;
  let quote = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (start < 0 && !/\s/.test(ch)) start = i;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (text.startsWith('{{', i)) { depth++; i++; }
    else if (depth > 0 && text.startsWith('}}', i)) { depth--; i++; }
    else if (depth === 0 && (ch === '"' || ch === "'")) quote = ch;
    else if (depth === 0 && /\s/.test(ch) && start >= 0) { words.push({ start, end: i }); start = -1; }
  }
  if (start >= 0) words.push({ start, end: text.length });
  return words;
}

const unquote = (v: string): string => (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v);

/** The command line without the key=value words, and those words as arguments. */
export function splitFreeForm(text: string, keys: string[] = ANSIBLE_FREE_FORM_KEYS): { rest: string; options: Record<string, string> } {
  if (!keys.some((k) => text.includes(`${k}=`))) return { rest: text, options: {} };
  const options: Record<string, string> = {};
  let rest = text;
  // Backwards, so earlier positions stay valid while words are cut out.
  for (const word of wordsOf(text).reverse()) {
    const token = text.slice(word.start, word.end);
    const eq = token.indexOf('=');
    if (eq <= 0 || !keys.includes(token.slice(0, eq))) continue;
    options[token.slice(0, eq)] = unquote(token.slice(eq + 1));
    let from = word.start;
    while (from > 0 && /[ \t]/.test(rest[from - 1])) from--;
    let to = word.end;
    if (from === 0) while (to < rest.length && /[ \t]/.test(rest[to])) to++;
    rest = rest.slice(0, from) + rest.slice(to);
  }
  return { rest, options };
}

/**
 * Ansible's `key=value` argument string (`service: name=nginx state=started`, parse_kv): words split as split_args
 * splits them, each `key=value` with its value unquoted. A word without `=` is returned as the problem.
 */
export function parseKeyValueArgs(text: string): { args: Record<string, string>; stray?: string } {
  const args: Record<string, string> = {};
  for (const word of wordsOf(text)) {
    const token = text.slice(word.start, word.end);
    const eq = token.indexOf('=');
    if (eq <= 0 || !/^[A-Za-z_][\w-]*$/.test(token.slice(0, eq))) return { args, stray: token };
    args[token.slice(0, eq)] = unquote(token.slice(eq + 1));
  }
  return { args };
}

type PropertySchema = { type?: string | string[] };

/** key=value words are text: a word for a number-only or list-only argument becomes a number or a comma list. */
export function typedKeyValueArgs(schema: Record<string, unknown>, args: Record<string, string>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, PropertySchema>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const types = [properties[key]?.type ?? []].flat();
    if (types.includes('string') || value.includes('{{')) out[key] = value;
    else if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) out[key] = Number(value);
    else if (types.includes('array')) out[key] = value.split(',').map((v) => v.trim()).filter(Boolean);
    else out[key] = value;
  }
  return out;
}
