// The lazy variable view: layers of variables (lowest precedence first) seen as one object whose string values are
// templates rendered on first read against the same merged view (Ansible's lazy templating), memoised per view,
// with cycles reported by their chain (a → b → a).

import { TemplateError } from '../errors.js';
import { plainMap } from '../plain-map.js';
import { renderValue, type TemplateWhere } from '../template/render.js';

/** One level of variables. `templated` values are templates (vars, vars_files, -e); others are data (facts, register). */
export interface VariableLayer {
  values: Record<string, unknown>;
  templated: boolean;
}

interface ViewState {
  layers: VariableLayer[];
  where: TemplateWhere;
  /** name → the winning raw value and whether it is a template. */
  winners: Record<string, { value: unknown; templated: boolean }>;
  resolved: Map<string, unknown>;
  resolving: string[];
}

const states = new WeakMap<object, ViewState>();

const hasTemplate = (v: unknown): boolean => (typeof v === 'string' ? v.includes('{{')
  : Array.isArray(v) ? v.some(hasTemplate)
  : v !== null && typeof v === 'object' ? Object.values(v).some(hasTemplate) : false);

/** The merged view of `layers`: reading a variable renders it (once) against the view itself. */
export function variableView(layers: VariableLayer[], where: TemplateWhere): Record<string, unknown> {
  const winners = plainMap<{ value: unknown; templated: boolean }>();
  for (const layer of layers) for (const key of Object.keys(layer.values)) winners[key] = { value: layer.values[key], templated: layer.templated };
  const target = plainMap<unknown>();
  for (const key of Object.keys(winners)) target[key] = undefined;
  const state: ViewState = { layers, where, winners, resolved: new Map(), resolving: [] };
  const view: Record<string, unknown> = new Proxy(target, {
    get: (_t, key) => (typeof key === 'string' && key in winners ? resolve(state, view, key) : undefined),
    getOwnPropertyDescriptor: (t, key) => (typeof key === 'string' && key in winners
      ? { value: resolve(state, view, key), writable: true, enumerable: true, configurable: true }
      : Reflect.getOwnPropertyDescriptor(t, key)),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  states.set(view, state);
  return view;
}

/** A new view with `values` as data on top (a loop item, a result under its register name). */
export function extendView(view: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const state = states.get(view);
  if (!state) return { ...view, ...values };
  return variableView([...state.layers, { values, templated: false }], state.where);
}

/** The layers of a view (for a child view that adds its own). */
export function layersOf(view: Record<string, unknown>): VariableLayer[] | undefined {
  return states.get(view)?.layers;
}

function resolve(state: ViewState, view: Record<string, unknown>, key: string): unknown {
  if (state.resolved.has(key)) return state.resolved.get(key);
  const winner = state.winners[key];
  if (!winner.templated || !hasTemplate(winner.value)) {
    state.resolved.set(key, winner.value);
    return winner.value;
  }
  if (state.resolving.includes(key)) {
    const chain = [...state.resolving.slice(state.resolving.indexOf(key)), key].join(' → ');
    throw new TemplateError(`variable cycle: ${chain}${whereSuffix(state.where)}`, { location: state.where.location, task: state.where.task, host: state.where.host });
  }
  state.resolving.push(key);
  try {
    const value = renderValue(winner.value, view, state.where);
    state.resolved.set(key, value);
    return value;
  } catch (e) {
    throw inVariable(e, key);
  } finally {
    state.resolving.pop();
  }
}

function whereSuffix(w: TemplateWhere): string {
  return `${w.task ? ` in task '${w.task}'` : ''}${w.host ? ` on host '${w.host}'` : ''}`;
}

/** Name the variable whose value failed to render: "undefined variable 'version' (in the value of 'repo')". */
function inVariable(e: unknown, key: string): unknown {
  if (!(e instanceof TemplateError) || e.message.startsWith('variable cycle')) return e;
  const marker = ' (in the value of ';
  const message = e.message.includes(marker) ? e.message.replace(marker, `${marker}'${key}' ← `) : `${e.message}${marker}'${key}')`;
  return new TemplateError(message, { location: e.location, task: e.task, host: e.host, cause: e.cause ?? e });
}
