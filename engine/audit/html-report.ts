// `runbook audit --report audit.html`: one self-contained page (no network): a host × task matrix coloured by status,
// expandable diffs, filters by host, group and status, and the run's metadata.

import type { AuditResult } from './audit-report.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function auditHtml(a: AuditResult): string {
  const tasks = [...new Set(Object.values(a.cells).flatMap((t) => Object.keys(t)))];
  const groupsOf = (h: string) => Object.entries(a.groups).filter(([g, hs]) => g !== 'all' && g !== 'ungrouped' && hs.includes(h)).map(([g]) => g);
  const drifted = Object.values(a.cells).reduce((n, t) => n + Object.values(t).filter((c) => c.status === 'changed').length, 0);
  const rows = a.hosts.map((h) => {
    const cells = tasks.map((t) => {
      const c = a.cells[h]?.[t];
      if (!c) return '<td class="none">–</td>';
      const label = c.status === 'changed' ? 'drift' : c.status;
      const diff = (c.diff ?? []).map((d) => `<pre class="diff"><b>${esc(d.path ?? '')}</b>\n${esc(d.before).split('\n').map((l) => `<span class="del">- ${l}</span>`).join('\n')}\n${esc(d.after).split('\n').map((l) => `<span class="add">+ ${l}</span>`).join('\n')}</pre>`).join('');
      return `<td class="${esc(label)}" data-status="${esc(label)}"><details><summary>${esc(label)}</summary><p>${esc(c.msg)}</p>${diff}</details></td>`;
    }).join('');
    return `<tr data-host="${esc(h)}" data-groups="${esc(groupsOf(h).join(' '))}"><th>${esc(h)}</th>${cells}</tr>`;
  }).join('\n');
  const groups = [...new Set(a.hosts.flatMap(groupsOf))].sort();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>runbook audit ${esc(a.run)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin-top:1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{writing-mode:vertical-rl;transform:rotate(180deg);max-height:14rem;font-weight:normal}
td.ok{background:#dff5df}td.drift{background:#ffe8a8}td.failed,td.unreachable{background:#ffc9c9}td.skipped{background:#e8eef7}td.ignored{background:#f0e0ff}td.none{color:#aaa}
summary{cursor:pointer}pre.diff{background:#fafafa;padding:.4rem;max-width:40rem;overflow:auto}.add{color:#116611}.del{color:#aa1111}
.meta dt{font-weight:bold}.meta dd{margin:0 0 .3rem 0}#filters label{margin-right:1rem}
</style></head><body>
<h1>runbook audit</h1>
<dl class="meta"><dt>run</dt><dd id="run">${esc(a.run)}</dd><dt>playbook</dt><dd>${esc(a.playbook)}</dd><dt>date</dt><dd>${esc(a.date)}</dd>
<dt>result</dt><dd id="summary">${a.hosts.length} host(s), ${tasks.length} task(s), ${drifted} drifted</dd></dl>
<div id="filters">
<label>host <input id="f-host" placeholder="name contains"></label>
<label>group <select id="f-group"><option value="">all</option>${groups.map((g) => `<option>${esc(g)}</option>`).join('')}</select></label>
<label>status <select id="f-status"><option value="">any</option><option>drift</option><option>failed</option><option>unreachable</option><option>ok</option><option>skipped</option><option>ignored</option></select></label>
</div>
<table id="matrix"><thead><tr><th>host</th>${tasks.map((t) => `<th>${esc(t)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table>
<script>
const $ = (id) => document.getElementById(id);
function apply() {
  const host = $('f-host').value.trim(), group = $('f-group').value, status = $('f-status').value;
  for (const tr of document.querySelectorAll('#matrix tbody tr')) {
    const okHost = !host || tr.dataset.host.includes(host);
    const okGroup = !group || tr.dataset.groups.split(' ').includes(group);
    const okStatus = !status || tr.querySelector('td[data-status="' + status + '"]');
    tr.hidden = !(okHost && okGroup && okStatus);
  }
}
for (const id of ['f-host', 'f-group', 'f-status']) $(id).addEventListener('input', apply);
// Filters in the address (audit.html?status=drift&group=workers&host=node) make a view shareable.
const q = new URLSearchParams(location.search);
for (const k of ['host', 'group', 'status']) if (q.get(k)) $('f-' + k).value = q.get(k);
apply();
</script>
</body></html>
`;
}
