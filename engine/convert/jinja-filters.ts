// Jinja2 / Ansible filters → runbook's Handlebars helpers: the table docs/convert.md shows. A filter outside it
// throws Unconvertible, so the expression is left in place behind a TODO.

import { childrenOf, type JinjaNode } from './jinja-ast.js';
import { atom, call, fail, type Expression, type Scope } from './handlebars-expression.js';

type Convert = (node: JinjaNode, scope: Scope) => Expression;
type Rule = (input: Expression, args: Expression[], keywords: Record<string, Expression>, node: JinjaNode) => Expression;

/** Filters whose helper has the same name and takes the same arguments (keyword arguments become hash arguments). */
const SAME_NAME = ['upper', 'lower', 'int', 'bool', 'string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'dirname', 'basename',
  'unique', 'first', 'last', 'trim', 'b64encode', 'b64decode', 'dict2items', 'items2dict', 'dictsort', 'difference', 'union', 'intersect',
  'replace', 'selectattr', 'rejectattr', 'regex_replace', 'regex_search', 'regex_findall', 'regex_escape', 'version_compare', 'capitalize', 'comment',
  'quote', 'hash', 'splitext', 'title', 'json_query', 'from_json', 'from_yaml', 'flatten', 'min', 'max', 'sum', 'zip', 'product', 'subelements', 'select', 'reject'];

/** Filters `map('name')` may apply to each item. */
const MAPPABLE = new Set(['upper', 'lower', 'int', 'bool', 'string', 'trim', 'basename', 'dirname', 'to_json', 'b64encode', 'b64decode', 'length',
  'capitalize', 'quote', 'regex_escape', 'from_json', 'from_yaml', 'splitext', 'flatten']);

/** Filters `map('name', args...)` applies with arguments. */
const MAPPABLE_WITH_ARGUMENTS = new Set(['regex_replace', 'regex_search', 'join', 'replace', 'default', 'hash', 'comment']);

const RULES: Record<string, Rule> = {
  default: (input, args) => call('default', [input, args[0] ?? atom('""')]),
  join: (input, args) => call('join', [input, args[0] ?? atom('""')]),
  length: (input) => call('length', [input]),
  combine: (input, args, keywords) => call('combine', [input, ...args], keywords.recursive ? { recursive: keywords.recursive } : {}),
  sort: (input, args, keywords) => call('sort', [input], { ...(args[0] ? { reverse: args[0] } : {}), ...keywords }),
  map: (input, args, keywords, node) => {
    if (keywords.attribute) return call('map', [input], keywords);
    const filter = args[0]?.text.replace(/^"|"$/g, '');
    if (filter && MAPPABLE.has(filter) && args.length === 1) return call('map', [input, args[0]]);
    if (filter === 'join' && args.length === 1) return call('map', [input, args[0], atom('""')]);
    if (filter && MAPPABLE_WITH_ARGUMENTS.has(filter) && Object.keys(keywords).length === 0) return call('map', [input, ...args]);
    return fail(node, `map(${args.map((a) => a.text).join(', ')}) (map(attribute=...) and map of ${[...MAPPABLE].join('/')} convert)`);
  },
  ternary: (input, args) => call('ternary', [input, args[0] ?? atom('true'), args[1] ?? atom('false'), ...(args[2] ? [args[2]] : [])]),
  split: (input, args, keywords) => call('split', [input, args[0] ?? keywords.sep ?? atom('null')], args[1] ?? keywords.maxsplit ? { maxsplit: args[1] ?? keywords.maxsplit } : {}),
  indent: (input, args, keywords, node) => {
    if (args.length > 1 || keywords.first || keywords.blank) return fail(node, 'indent with first= or blank= (indent(n) converts)');
    return call('indent', [input, args[0] ?? keywords.width ?? atom('4')]);
  },
  'community.general.json_query': (input, args) => call('json_query', [input, ...args]),
  list: (input) => input,
  mandatory: (input) => input,
};
RULES.d = RULES.default;
RULES.count = RULES.length;
for (const name of SAME_NAME) RULES[name] = (input, args, keywords) => call(name, [input, ...args], keywords);

/** `x | f(a, k=v)` → `f x a k=v` when f is in the table. */
export function convertFilter(node: JinjaNode, scope: Scope, convert: Convert): Expression {
  const name = String((node.name as JinjaNode).value);
  const rule = RULES[name] ?? fail(node, `the filter '${name}'`);
  const [input, ...rest] = childrenOf(node.args as JinjaNode);
  const keywords: Record<string, Expression> = {};
  for (const pair of rest.filter((a) => a.typename === 'KeywordArgs').flatMap(childrenOf)) keywords[String((pair.key as JinjaNode).value)] = convert(pair.value as JinjaNode, scope);
  const args = rest.filter((a) => a.typename !== 'KeywordArgs').map((a) => convert(a, scope));
  return rule(convert(input, scope), args, keywords, node);
}

/** The filters the converter knows, for docs and messages. */
export const convertedFilters = (): string[] => Object.keys(RULES).sort();
