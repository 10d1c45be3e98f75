// The audit page's own style and script (inlined: the page loads nothing from anywhere).

export const PAGE_STYLE = `
body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}
table{border-collapse:collapse;margin-top:1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{writing-mode:vertical-rl;transform:rotate(180deg);max-height:16rem;font-weight:normal}thead th .play{color:#777}
td.ok{background:#dff5df}td.drift{background:#ffe8a8}td.drift.new{outline:2px solid #d08000}td.failed,td.unreachable{background:#ffc9c9}td.skipped{background:#e8eef7}td.ignored{background:#f0e0ff}td.none{color:#aaa}
summary{cursor:pointer}pre.diff{background:#fafafa;padding:.4rem;max-width:40rem;overflow:auto}.add{color:#116611}.del{color:#aa1111}.hunk{color:#1166aa}.ctx{color:#555}
.meta dt{font-weight:bold}.meta dd{margin:0 0 .3rem 0}#filters label{margin-right:1rem}#baseline ul{margin:.2rem 0 .6rem}
`;

export const PAGE_SCRIPT = `
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
`;
