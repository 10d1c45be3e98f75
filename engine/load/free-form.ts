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
