// Redaction of secret values in any output.

import { expect } from 'chai';
import { collectSecrets, isSecretName, Redactor, REDACTED, writeOnlyValues, writeOnlyVariables } from '../../engine/report/redact.js';

describe('redact', () => {
  it('recognises secret-like names but not the ssh key path var', () => {
    for (const n of ['password', 'db_password', 'become_password', 'heketi_admin_key', 'join_token', 'token', 'api_key', 'client_secret', 'aws_secret_access_key', 'db_pass', 'apikey', 'mysql_pwd', 'registry_credentials']) {
      expect(isSecretName(n), n).to.equal(true);
    }
    for (const n of ['key', 'known_hosts', 'user', 'address', 'monkey', 'tokens_dir', 'secret_name', 'bypass', 'compass']) expect(isSecretName(n), n).to.equal(false);
  });

  it('collects nested secret values and masks them everywhere, longest first', () => {
    const r = new Redactor();
    r.add(collectSecrets({ db: { password: 'hunter22' }, join_token: 'abcdef.0123456789abcdef', plain: 'hunter22-not' }));
    expect(r.text('pw=hunter22 tok abcdef.0123456789abcdef')).to.equal(`pw=${REDACTED} tok ${REDACTED}`);
    expect(r.value({ msg: 'x hunter22', nested: ['hunter22'], password: 'other' })).to.deep.equal({ msg: `x ${REDACTED}`, nested: [REDACTED], password: REDACTED });
  });

  it('masks the base64 form too (Kubernetes Secret data, {{b64 ...}})', () => {
    const r = new Redactor();
    r.add(['heketi-admin-S3cret']);
    const encoded = Buffer.from('heketi-admin-S3cret').toString('base64');
    expect(r.text(`data:\n  key: ${encoded}\n`)).to.equal(`data:\n  key: ${REDACTED}\n`);
  });

  it('treats what feeds a writeOnly argument as secret, whatever the var is called (no module names in the engine)', () => {
    const schema = { type: 'object', properties: { url: { type: 'string' }, key: { type: 'string', writeOnly: true } } };
    const tasks = [{ module: 'heketi_topology', args: { url: 'http://h:8080', key: '{{ heketi_jwt }}' } }, { block: [{ module: 'heketi_topology', args: { key: 'literal-S3cret' } }] }];
    const literals = new Set<string>();
    const names = writeOnlyVariables(tasks, (m) => (m === 'heketi_topology' ? schema : undefined), literals);
    expect([...names]).to.deep.equal(['heketi_jwt']);
    expect([...literals]).to.deep.equal(['literal-S3cret']);
    expect(isSecretName('heketi_jwt')).to.equal(false);
    const r = new Redactor();
    r.add(collectSecrets({ heketi_jwt: 'jwt-S3cret-value', url: 'http://h:8080' }, undefined, 0, names));
    expect(r.text('key=jwt-S3cret-value url=http://h:8080')).to.equal(`key=${REDACTED} url=http://h:8080`);
    expect(writeOnlyValues(schema, { url: 'u', key: 'rendered-S3cret' })).to.deep.equal(['rendered-S3cret']);
  });

  it('masks the value of a secret-named `name: value` line at any indent, also in a diff, but not the next line', () => {
    const r = new Redactor();
    expect(r.text('db:\n  password: hunter22\n+    api_token = abc123\nuser: bob\n')).to.equal(`db:\n  password: ${REDACTED}\n+    api_token = ${REDACTED}\nuser: bob\n`);
    expect(r.text('password: hash $6$, 106 chars')).to.equal('password: hash $6$, 106 chars');
  });
});
