// One Jinja2 expression (a tree from jinja-ast.ts) written as a Handlebars expression runbook evaluates: variables
// and attributes, the filters and tests of docs/convert.md's table, comparisons, `in`, and/or/not. Anything else
// throws Unconvertible naming the construct, so the caller leaves it in place behind a TODO.

import { childrenOf, type JinjaNode } from './jinja-ast.js';
import { factPath } from './ansible-facts.js';
import { atom, call, fail, quoted, type Expression, type Scope } from './handlebars-expression.js';
import { convertFilter } from './jinja-filters.js';
import { knownTests } from '../template/jinja-tests.js';

function literal(node: JinjaNode): Expression {
  const v = node.value;
  if (typeof v === 'string') return atom(quoted(v));
  if (typeof v === 'number' || typeof v === 'boolean') return atom(String(v));
  if (v === null) return atom('null');
  return fail(node, `literal ${String(v)}`);
}

/** `a`, `.b`, `.[key with spaces]`: one segment of a Handlebars path. */
function segment(key: string, node: JinjaNode): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return `.${key}`;
  if (!/[\]\s]/.test(key) || !key.includes(']')) return `.[${key}]`;
  return fail(node, `the key '${key}'`);
}

function symbol(node: JinjaNode, scope: Scope): Expression {
  const name = String(node.value);
  // Jinja also spells its constants as Python does.
  if (name === 'None' || name === 'True' || name === 'False') return atom(name === 'None' ? 'null' : name.toLowerCase());
  const local = scope.locals.get(name);
  if (local !== undefined) return local;
  if (name === 'loop' && scope.loops > 0) return fail(node, 'the loop variable `loop` itself (only loop.index, index0, first, last, length convert)');
  const fact = factPath(name);
  if (fact === null) return fail(node, `the Ansible fact '${name}' (runbook's facts are listed in docs/dsl.md, Facts)`);
  if (fact) return atom(fact);
  // A variable named like a helper (`length`, `default`) or a Handlebars keyword is read as a variable, not a call.
  return atom(scope.reserved.has(name) ? `this.${name}` : name);
}

const LOOP_FIELDS: Record<string, string> = { index: '@position', index0: '@index', first: '@first', last: '@last', length: '@count' };

function lookup(node: JinjaNode, scope: Scope): Expression {
  const target = node.target as JinjaNode;
  const key = node.val as JinjaNode;
  if (target.typename === 'Symbol' && target.value === 'loop' && scope.loops > 0 && !scope.locals.has('loop')) {
    return atom(LOOP_FIELDS[String(key.value)] ?? fail(node, `loop.${String(key.value)}`));
  }
  if (target.typename === 'Symbol' && target.value === 'ansible_facts' && key.typename === 'Literal') {
    const fact = factPath(`ansible_${String(key.value)}`);
    return fact ? atom(fact) : fail(node, `the Ansible fact '${String(key.value)}' (runbook's facts are listed in docs/dsl.md, Facts)`);
  }
  const base = convertExpression(target, scope);
  if (key.typename === 'Literal' && typeof key.value === 'number') return base.call ? call('lookup', [base, atom(String(key.value))]) : atom(`${base.text}.[${key.value}]`);
  if (key.typename === 'Literal' && typeof key.value === 'string' && !base.call && !base.text.startsWith('"')) return atom(base.text + segment(key.value, node));
  return call('lookup', [base, convertExpression(key, scope)]);
}

const ARITHMETIC: Record<string, string> = { Sub: 'subtract', Mul: 'multiply', Div: 'divide', FloorDiv: 'floor_divide', Mod: 'modulo' };

const COMPARE: Record<string, string> = { '==': 'eq', '===': 'eq', '!=': 'ne', '!==': 'ne', '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge' };

function compare(node: JinjaNode, scope: Scope): Expression {
  let left = convertExpression(node.expr as JinjaNode, scope);
  const pairs: Expression[] = [];
  for (const op of (node.ops ?? []) as JinjaNode[]) {
    const right = convertExpression(op.expr as JinjaNode, scope);
    pairs.push(call(COMPARE[String(op.type)] ?? fail(op, `the comparison ${String(op.type)}`), [left, right]));
    left = right;
  }
  return pairs.length === 1 ? pairs[0] : call('and', pairs);
}

/** `a and b and c` → `and a b c` (one helper for the chain). */
function chain(node: JinjaNode, scope: Scope, helper: 'and' | 'or'): Expression {
  const parts: Expression[] = [];
  const visit = (n: JinjaNode) => {
    if (n.typename.toLowerCase() === helper) { visit(n.left as JinjaNode); visit(n.right as JinjaNode); } else parts.push(convertExpression(n, scope));
  };
  visit(node);
  return call(helper, parts);
}

function test(node: JinjaNode, scope: Scope): Expression {
  const subject = convertExpression(node.left as JinjaNode, scope);
  const right = node.right as JinjaNode;
  const name = String(right.typename === 'FunCall' ? (right.name as JinjaNode).value : right.value);
  const raw = right.typename === 'FunCall' ? childrenOf(right.args as JinjaNode) : [];
  const keywords = Object.fromEntries(raw.filter((a) => a.typename === 'KeywordArgs').flatMap(childrenOf)
    .map((pair) => [String((pair.key as JinjaNode).value), convertExpression(pair.value as JinjaNode, scope)]));
  const args = raw.filter((a) => a.typename !== 'KeywordArgs').map((a) => convertExpression(a, scope));
  const field = (f: string) => (subject.call ? call('lookup', [subject, atom(`"${f}"`)]) : atom(`${subject.text}.${f}`));
  switch (name) {
    case 'defined': return call('defined', [subject]);
    case 'undefined': return call('not', [call('defined', [subject])]);
    case 'none': case 'null': return call('eq', [subject, atom('null')]);
    case 'changed': case 'failed': case 'skipped': return field(name);
    case 'change': case 'failure': case 'skip': return field({ change: 'changed', failure: 'failed', skip: 'skipped' }[name]);
    case 'success': case 'succeeded': case 'successful': return call('not', [field('failed')]);
    case 'equalto': case 'eq': case 'sameas': return call('eq', [subject, args[0] ?? fail(right, `the test '${name}' without a value`)]);
    case 'in': return call('in', [subject, args[0] ?? fail(right, 'in without a list')]);
    case 'version': case 'version_compare': return call('version_compare', [subject, ...args], keywords);
  }
  if (knownTests().includes(name)) return call('is', [subject, atom(quoted(name)), ...args], keywords);
  return fail(right, `the test 'is ${name}'`);
}

/** Method calls Jinja borrows from Python (`d.get(k)`, `s.split(',')`, `d.items()`) and the `dict(...)` global. */
function funCall(node: JinjaNode, scope: Scope): Expression {
  const callee = node.name as JinjaNode;
  const raw = childrenOf(node.args as JinjaNode);
  const keywords = raw.filter((a) => a.typename === 'KeywordArgs').flatMap(childrenOf);
  const args = raw.filter((a) => a.typename !== 'KeywordArgs').map((a) => convertExpression(a, scope));
  if (callee.typename === 'Symbol' && callee.value === 'dict' && args.length === 0) {
    return call('dict', [], Object.fromEntries(keywords.map((p) => [String((p.key as JinjaNode).value), convertExpression(p.value as JinjaNode, scope)])));
  }
  if (callee.typename !== 'LookupVal' || keywords.length > 0) return fail(node, `the call ${describeCallee(callee)}(...)`);
  const method = String((callee.val as JinjaNode).value);
  const target = convertExpression(callee.target as JinjaNode, scope);
  switch (method) {
    case 'get': return args.length > 1 ? call('default', [call('lookup', [target, args[0]]), args[1]]) : call('lookup', [target, args[0] ?? fail(node, '.get() without a key')]);
    case 'items': return call('pairs', [target]);
    case 'keys': case 'values': case 'upper': case 'lower': return call(method, [target]);
    case 'strip': if (args.length === 0) return call('trim', [target]); break;
    case 'split': if (args.length <= 2) return call('split', [target, args[0] ?? atom('null')], args[1] ? { maxsplit: args[1] } : {}); break;
    case 'startswith': case 'endswith': if (args.length === 1) return call(method, [target, args[0]]); break;
    case 'find': if (args.length === 1) return call('text_find', [target, args[0]]); break;
    case 'join': if (args.length === 1) return call('join', [args[0], target]); break;
    case 'capitalize': case 'title': if (args.length === 0) return call(method, [target]); break;
    case 'replace': if (args.length === 2) return call('replace', [target, ...args]); break;
  }
  return fail(node, `the method .${method}(${args.length ? '...' : ''})`);
}

function describeCallee(callee: JinjaNode): string {
  if (callee.typename === 'Symbol') return String(callee.value);
  if (callee.typename === 'LookupVal') return `.${String((callee.val as JinjaNode).value)}`;
  return callee.typename;
}

/** `(a)` is a; a tuple `(a, b)` is the list of its items (tuples and lists read alike in the helpers). */
function group(node: JinjaNode, scope: Scope): Expression {
  const items = childrenOf(node);
  return items.length === 1 ? convertExpression(items[0], scope) : call('list', items.map((c) => convertExpression(c, scope)));
}

const SAME_PRECEDENCE = [new Set(['Mul', 'Div', 'FloorDiv', 'Mod']), new Set(['Add', 'Sub'])];

/**
 * nunjucks gives each of * / // % (and + -) its own precedence level, so `a * b % c` reads as a * (b % c); Jinja
 * (Python) reads operators of one level from the left: (a * b) % c. The tree is turned back to the left.
 */
function leftToRight(node: JinjaNode): JinjaNode {
  const level = SAME_PRECEDENCE.find((set) => set.has(node.typename));
  const right = node.right as JinjaNode;
  if (!level || !level.has(right.typename)) return node;
  const copy = (n: JinjaNode, fields: Partial<JinjaNode>): JinjaNode => Object.assign(Object.create(Object.getPrototypeOf(n)) as JinjaNode, n, fields);
  const left = leftToRight(copy(node, { right: right.left as JinjaNode }));
  return leftToRight(copy(right, { left }));
}

function collection(node: JinjaNode, scope: Scope): Expression {
  if (node.typename === 'Array') return call('list', childrenOf(node).map((c) => convertExpression(c, scope)));
  const hash: Record<string, Expression> = {};
  for (const pair of childrenOf(node)) {
    const key = pair.key as JinjaNode;
    if (key.typename !== 'Literal' || typeof key.value !== 'string' || !/^[A-Za-z_]\w*$/.test(key.value)) return fail(pair, 'a mapping literal whose keys are not plain names');
    hash[key.value] = convertExpression(pair.value as JinjaNode, scope);
  }
  return call('dict', [], hash);
}

/** The Handlebars form of one Jinja expression; throws Unconvertible for what the documented subset lacks. */
export function convertExpression(tree: JinjaNode, scope: Scope): Expression {
  const node = leftToRight(tree);
  switch (node.typename) {
    case 'Literal': return literal(node);
    case 'Symbol': return symbol(node, scope);
    case 'LookupVal': return lookup(node, scope);
    case 'Group': return group(node, scope);
    case 'Array': case 'Dict': return collection(node, scope);
    case 'Filter': return convertFilter(node, scope, convertExpression);
    case 'FunCall': return funCall(node, scope);
    case 'Is': return test(node, scope);
    case 'Compare': return compare(node, scope);
    case 'In': return call('in', [convertExpression(node.left as JinjaNode, scope), convertExpression(node.right as JinjaNode, scope)]);
    case 'Not': return call('not', [convertExpression(node.target as JinjaNode, scope)]);
    case 'And': return chain(node, scope, 'and');
    case 'Or': return chain(node, scope, 'or');
    case 'Add': return call('add', [convertExpression(node.left as JinjaNode, scope), convertExpression(node.right as JinjaNode, scope)]);
    case 'Concat': return call('concat', [convertExpression(node.left as JinjaNode, scope), convertExpression(node.right as JinjaNode, scope)]);
    case 'Sub': case 'Mul': case 'Div': case 'FloorDiv': case 'Mod':
      return call(ARITHMETIC[node.typename], [convertExpression(node.left as JinjaNode, scope), convertExpression(node.right as JinjaNode, scope)]);
    case 'Neg': if ((node.target as JinjaNode).typename === 'Literal' && typeof (node.target as JinjaNode).value === 'number') return atom(`-${String((node.target as JinjaNode).value)}`); break;
    case 'InlineIf': return fail(node, 'an inline `x if c else y` inside an expression (alone in {{ }} it converts)');
  }
  const arithmetic: Record<string, string> = { Add: '+', Sub: '-', Mul: '*', Div: '/', FloorDiv: '//', Mod: '%', Pow: '**', Neg: 'unary -' };
  return fail(node, arithmetic[node.typename] ? `arithmetic (${arithmetic[node.typename]})` : `the construct ${node.typename}`);
}

