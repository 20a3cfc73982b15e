import { get } from '../api.js';
import { run, startPage, $, h, fill, badge, time, canWrite, kindLabel, kindOf, requestPath, queryParams, FINAL } from '../app.js';

const LIVE_MS = 3000;

function fact(label, ...value) {
  const shown = value.filter(v => v !== null && v !== undefined && v !== '');
  return shown.length === 0 ? [] : [h('dt', {}, label), h('dd', {}, ...shown)];
}

const code = v => (v ? h('code', {}, v) : null);
const list = v => (Array.isArray(v) && v.length > 0 ? v.map((x, i) => [i > 0 ? ', ' : '', h('code', {}, x)]) : null);

/** What the request's own resource says, as label/value pairs (every kind has its own fields). */
function facts(kind, r) {
  const status = r.status || (kind === 'evaluation' ? 'ISSUED' : null);
  return [
    ...fact('Status', status ? badge(status) : null),
    ...fact('Request id', code(r.id)),
    ...fact('PAK', code(r.pakCode)),
    ...fact('SKU', code(r.sku)),
    ...fact('From SKU', code(r.fromSku)),
    ...fact('To SKU', code(r.toSku)),
    ...fact('License', code(r.licenseId)),
    ...fact('Device', code(r.udi)),
    ...fact('Failed device', code(r.failedUdi)),
    ...fact('Replacement', code(r.replacementUdi)),
    ...fact('RMA number', r.rmaNumber),
    ...fact('Source device', code(r.sourceUdi)),
    ...fact('Destination device', code(r.destinationUdi)),
    ...fact('Feature', r.feature),
    ...fact('Days asked for', r.daysRequested),
    ...fact('Days granted', r.daysGranted),
    ...fact('Reason', r.reason),
    ...fact('Policy', r.policy ? `${r.policy.decision || ''} (${r.policy.rule || ''})${r.policy.detail ? `: ${r.policy.detail}` : ''}` : null),
    ...fact('Review', r.reviewReason),
    ...fact('Reviewed by', r.reviewedBy, r.reviewComment ? `: ${r.reviewComment}` : null),
    ...fact('EULA accepted', r.eulaVersion || (r.eula && r.eula.version)),
    ...fact('Licenses', list(r.licenseIds)),
    ...fact('Superseded', list(r.supersededLicenseIds)),
    ...fact('Licenses for the destination', list(r.destinationLicenseIds)),
    ...fact('Rejected', r.rejection ? `${r.rejection.message} (${r.rejection.code})` : null),
    ...fact('Mail to', r.mail ? `${r.mail.recipient} (${r.mail.status})` : r.email),
    ...fact('Created', time(r.createdAt)),
    ...fact('Completed', time(r.completedAt)),
  ];
}

run(async () => {
  const me = await startPage('requests');
  const { kind: named, id } = queryParams();
  const kind = kindOf(named);
  const path = requestPath(kind, id);
  if (!path) {
    throw new Error('This address names no request: open one from the list of requests.');
  }
  const live = $('#live');
  let timer = null;
  const show = async () => {
    const r = (await get(path)).body;
    const status = r.status || (kind === 'evaluation' ? 'ISSUED' : 'UNKNOWN');
    document.title = `${kindLabel(kind)} ${status} · Nodelock portal`;
    fill($('#title'), kindLabel(kind), ' ', badge(status));
    fill($('#facts'), facts(kind, r));

    const downloads = [];
    if (r.licenseFile) {
      downloads.push(h('li', {}, h('a', { class: 'button', href: r.licenseFile, id: 'download-license-file' }, 'Download the license file')));
    }
    if (r.permissionTicket && r.permissionTicket.download) {
      downloads.push(h('li', {}, h('a', { class: 'button secondary', href: r.permissionTicket.download, id: 'download-permission-ticket' },
        `Download permission ticket ${r.permissionTicket.id}`), ` (valid until ${new Date(r.permissionTicket.expiresAt).toLocaleString()})`));
    }
    fill($('#downloads'), downloads);
    $('#downloads-section').hidden = downloads.length === 0;

    const decisions = r.decisions || [];
    fill($('#decisions tbody'), decisions.map(d => h('tr', {},
      h('td', {}, String(d.round)), h('td', {}, d.decision), h('td', {}, d.decidedBy), h('td', { class: 'num' }, d.days ?? ''),
      h('td', {}, d.comment || ''), h('td', {}, time(d.decidedAt)))));
    $('#decisions-section').hidden = decisions.length === 0;

    const next = [];
    if (kind === 'rehost' && status === 'AWAITING_REHOST_TICKET' && canWrite(me)) {
      next.push(h('p', {}, 'Apply the permission ticket on the source device with ', h('code', {}, 'license revoke'),
        ', then upload the rehost ticket it writes.'),
      h('a', { class: 'button', href: `form.html?${new URLSearchParams({ form: 'rehost-ticket-upload', rehostId: r.id })}` }, 'Upload the rehost ticket'));
    }
    if (['AWAITING_TAC', 'AWAITING_LEAD', 'IN_REVIEW'].includes(status)) {
      next.push(h('p', {}, 'TAC decides this request; this page shows the decision as soon as it is made.'));
    }
    fill($('#next'), next);
    $('#next-section').hidden = next.length === 0;

    const final = FINAL.has(status);
    live.textContent = final ? '' : 'This request is in progress; its status updates by itself.';
    if (final && timer) {
      clearInterval(timer);
      timer = null;
    }
    return final;
  };
  if (!(await show())) {
    timer = setInterval(() => {
      if (!document.hidden) {
        show().catch(() => {});
      }
    }, LIVE_MS);
  }
});
