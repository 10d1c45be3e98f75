// Templating: strict lookups, no HTML escaping, raw single expressions, conditions, helpers, shell quoting.

import { expect } from 'chai';
import { checkTemplates, evaluateCondition, renderShellString, renderString, renderValue } from '../../engine/template/render.js';
import { TemplateError } from '../../engine/errors.js';

const ctx = {
  name: 'gluster1', port: 24007, list: ['a', 'b'], html: '<b>&"</b>', facts: { os_family: 'Debian' }, result: { changed: false, rc: 0 },
  groups: { gluster: ['g1', 'g2'] }, hostvars: { 'node-1': { storage_address: '10.0.0.11' } }, evil: "x'; rm -rf / #$(id)",
};
const where = { task: 'demo', host: 'h1', location: { file: 'site.yml', line: 3, col: 7 } };

describe('template', () => {
  it('never HTML-escapes', () => {
    expect(renderString('v={{html}}', ctx)).to.equal('v=<b>&"</b>');
  });
  it('fails on an undefined variable, naming it, the task, the host and the location', () => {
    const e = (() => { try { renderString('x={{nope}}', ctx, where); } catch (err) { return err as TemplateError; } })();
    expect(e).to.be.instanceOf(TemplateError);
    expect(e!.describe()).to.equal("site.yml:3:7: undefined variable 'nope' in task 'demo' on host 'h1'");
    expect(() => renderValue('{{ typo }}', ctx, where)).to.throw("undefined variable 'typo'");
  });
  it('keeps the type of a single expression', () => {
    expect(renderValue('{{list}}', ctx)).to.deep.equal(['a', 'b']);
    expect(renderValue('{{ port }}', ctx)).to.equal(24007);
    expect(renderValue({ a: ['{{name}}-x', 1] }, ctx)).to.deep.equal({ a: ['gluster1-x', 1] });
  });
  it('evaluates conditions without braces, full templates and lists', () => {
    expect(evaluateCondition('eq facts.os_family "Debian"', ctx)).to.equal(true);
    expect(evaluateCondition('result.changed', ctx)).to.equal(false);
    expect(evaluateCondition('not (eq result.rc 1)', ctx)).to.equal(true);
    expect(evaluateCondition(['result.rc', true], ctx)).to.equal(false);
    expect(evaluateCondition('{{#if list}}yes{{/if}}', ctx)).to.equal(true);
    expect(() => evaluateCondition('result.nope', ctx, where)).to.throw(/undefined variable/);
  });
  it('reads "false" from -e and empty maps as false, in conditions and in and/or/not', () => {
    const c = { wipe: 'false', yes: 'true', labels: {}, some: { a: '1' }, sigs: '' };
    expect(evaluateCondition('wipe', c)).to.equal(false);
    expect(evaluateCondition('labels', c)).to.equal(false);
    expect(evaluateCondition('some', c)).to.equal(true);
    expect(evaluateCondition('{{or wipe (not sigs)}}', c)).to.equal(true);
    expect(evaluateCondition('or wipe labels', c)).to.equal(false);
    expect(evaluateCondition('and yes some', c)).to.equal(true);
  });
  it('has the helpers playbooks need', () => {
    expect(renderString('{{join list ","}} {{default missing "d"}} {{upper name}} {{b64 name}} {{json list}}', ctx)).to.equal('a,b d GLUSTER1 Z2x1c3RlcjE= ["a","b"]');
    expect(renderValue('{{hosts_of "gluster"}}', ctx)).to.deep.equal(['g1', 'g2']);
    expect(renderString('{{hostvar "node-1" "storage_address"}} {{hostvars.[node-1].storage_address}}', ctx)).to.equal('10.0.0.11 10.0.0.11');
  });
  it('names unknown helpers and refuses prototype access', () => {
    expect(() => renderString('{{frobnicate name}}', ctx, where)).to.throw("unknown helper 'frobnicate'");
    expect(() => renderString('{{name.constructor.name}}', ctx, where)).to.throw(/prototype/);
    expect(() => renderString('{{__proto__}}', ctx, where)).to.throw(/prototype/);
  });
  it('reports syntax errors without rendering', () => {
    expect(checkTemplates({ a: '{{#if}}', b: ['ok {{x}}'] }, where).map((e) => e.message)).to.have.length(1);
  });
  it('shell-quotes values in command lines, raw with triple braces', () => {
    expect(renderShellString('echo {{evil}} {{name}}', ctx)).to.equal(`echo 'x'\\''; rm -rf / #$(id)' gluster1`);
    expect(renderShellString('echo {{{name}}} {{join list " "}}', ctx)).to.equal("echo gluster1 'a b'");
  });
});
