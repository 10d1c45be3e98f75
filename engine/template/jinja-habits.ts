// Jinja habits in a Handlebars playbook (`when: os == 'Debian'`, `{{ name | upper }}`, `x is defined`): found at
// validate with the Handlebars spelling to write instead, from a small translator of Jinja's common expressions.

const TOKEN = /\s*(==|!=|>=|<=|>|<|\(|\)|\||,|\[|\]|'[^']*'|"[^"]*"|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*)/y;
const COMPARE: Record<string, string> = { '==': 'eq', '!=': 'ne', '>': 'gt', '<': 'lt', '>=': 'ge', '<=': 'le' };

function tokens(text: string): string[] | undefined {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length && text.slice(at).trim() !== '') {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    out.push(m[1]);
    at = TOKEN.lastIndex;
  }
  return out;
}

const wrap = (e: string): string => (/\s/.test(e) && !e.startsWith('(') ? `(${e})` : e);
const literal = (t: string): string => (t.startsWith("'") ? `"${t.slice(1, -1)}"` : t);

/** A recursive-descent reading of or / and / not / comparisons / `is defined` / filters / atoms → Handlebars. */
function translate(list: string[]): string | undefined {
  let i = 0;
  const peek = () => list[i];
  const take = () => list[i++];
  const atom = (): string | undefined => {
    const t = take();
    if (t === undefined) return undefined;
    if (t === '(') { const inner = or(); return take() === ')' ? inner : undefined; }
    if (t === 'not') { const e = compare(); return e && `not ${wrap(e)}`; }
    if (t === '[') {
      const items: string[] = [];
      while (peek() !== ']' && peek() !== undefined) { items.push(or() ?? ''); if (peek() === ',') take(); }
      take();
      return `(list ${items.map(wrap).join(' ')})`;
    }
    return literal(t);
  };
  const filtered = (): string | undefined => {
    let e = atom();
    while (e && peek() === '|') {
      take();
      const name = take();
      const args: string[] = [];
      if (peek() === '(') {
        take();
        while (peek() !== ')' && peek() !== undefined) { args.push(or() ?? ''); if (peek() === ',') take(); }
        take();
      }
      e = [name, wrap(e), ...args.map(wrap)].join(' ');
    }
    return e;
  };
  const compare = (): string | undefined => {
    const left = filtered();
    if (!left) return undefined;
    if (peek() === 'is') {
      take();
      const negated = peek() === 'not' ? (take(), true) : false;
      const test = take();
      const defined = test === 'defined' ? !negated : test === 'undefined' ? negated : undefined;
      if (defined === undefined) return undefined;
      return defined ? `defined ${wrap(left)}` : `not (defined ${wrap(left)})`;
    }
    if (peek() === 'in') { take(); const right = filtered(); return right && `in ${wrap(left)} ${wrap(right)}`; }
    if (peek() === 'not' && list[i + 1] === 'in') { i += 2; const right = filtered(); return right && `not (in ${wrap(left)} ${wrap(right)})`; }
    const op = COMPARE[peek() ?? ''];
    if (!op) return left;
    take();
    const right = filtered();
    return right && `${op} ${wrap(left)} ${wrap(right)}`;
  };
  const and = (): string | undefined => {
    const parts = [compare()];
    while (peek() === 'and') { take(); parts.push(compare()); }
    return parts.some((p) => !p) ? undefined : parts.length > 1 ? `and ${parts.map((p) => wrap(p!)).join(' ')}` : parts[0];
  };
  function or(): string | undefined {
    const parts = [and()];
    while (peek() === 'or') { take(); parts.push(and()); }
    return parts.some((p) => !p) ? undefined : parts.length > 1 ? `or ${parts.map((p) => wrap(p!)).join(' ')}` : parts[0];
  }
  const out = or();
  return i === list.length ? out : undefined;
}

const JINJA_MARKS = /==|!=|>=|<=|\s[<>]\s|\|\s*\w|\bis\s+(not\s+)?(un)?defined\b|\s(and|or)\s/;
/** Jinja marks outside quoted strings (`eq x "a and b"` is Handlebars). */
const hasJinjaMarks = (expr: string): boolean => JINJA_MARKS.test(expr.replace(/'[^']*'|"[^"]*"/g, '""'));

/** The Handlebars spelling of one Jinja expression, or undefined when it is not a Jinja habit. */
export function handlebarsSpelling(expr: string): string | undefined {
  const text = expr.trim();
  if (!hasJinjaMarks(text)) return undefined;
  const list = tokens(text);
  return list ? translate(list) : undefined;
}

export interface JinjaHabit { expression: string; suggestion?: string }

/** Jinja habits in a template string (each {{ }} in it) or in a condition written without braces. */
export function findJinjaHabits(text: string, isCondition: boolean): JinjaHabit[] {
  if (text.includes('{%')) return [{ expression: text.trim() }];
  const expressions = isCondition && !text.includes('{{') ? [text] : [...text.matchAll(/\{\{-?\s*([^{}]*?)\s*-?\}\}/g)].map((m) => m[1]);
  const found: JinjaHabit[] = [];
  for (const expr of expressions) {
    if (!hasJinjaMarks(expr)) continue;
    const spelled = handlebarsSpelling(expr);
    found.push({ expression: isCondition && !text.includes('{{') ? expr.trim() : `{{ ${expr.trim()} }}`, suggestion: spelled && (isCondition && !text.includes('{{') ? spelled : `{{${spelled}}}`) });
  }
  return found;
}
