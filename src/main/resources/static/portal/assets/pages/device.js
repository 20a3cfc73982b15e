import { get } from '../api.js';
import { run, startPage, $, h, fill, badge, time, canWrite, kindLabel, kindOf, requestLink, requestPath, queryParams, FINAL } from '../app.js';

const formLink = (form, params, text) =>
  h('a', { href: `form.html?${new URLSearchParams({ form, ...params })}` }, text);

/** Shows only the rows whose text contains the filter (the device's licenses and history come in one answer). */
function filtered(input, table) {
  input.addEventListener('input', () => {
    const needle = input.value.trim().toLowerCase();
    for (const row of table.tBodies[0].rows) {
      if (!row.classList.contains('empty')) {
        row.hidden = needle !== '' && !row.textContent.toLowerCase().includes(needle);
      }
    }
  });
  input.closest('form').addEventListener('submit', e => e.preventDefault());
}

/**
 * The device's path form (docs/inventory.md): the server refuses an encoded '/' in a path, and ISR product ids hold
 * one, so PID:ISR4331/K9,SN:FDO1 is asked for as ISR4331~K9_FDO1. Anything else is sent as it is.
 */
function pathForm(udi) {
  const m = /^PID:([^,]+),SN:(.+)$/.exec(udi);
  return m ? `${m[1].replaceAll('/', '~')}_${m[2]}` : udi.replaceAll('/', '~');
}

run(async () => {
  const me = await startPage('devices');
  const udi = queryParams().udi || '';
  const device = (await get(`/api/v1/devices/${encodeURIComponent(pathForm(udi))}`)).body;
  document.title = `${device.udi} · Nodelock portal`;
  fill($('#title'), 'Device ', h('code', {}, device.udi));
  fill($('#facts'),
    h('dt', {}, 'Product'), h('dd', {}, device.productId || ''),
    h('dt', {}, 'Serial number'), h('dd', {}, device.serialNumber || ''),
    h('dt', {}, 'State'), h('dd', {}, device.locked ? badge('LOCKED') : badge('ACTIVE'), device.locked && device.lockedReason ? ` ${device.lockedReason}` : ''),
    h('dt', {}, 'Device key'), h('dd', {}, device.certified ? 'certified by a manufacturing authority' : 'not certified'));
  if (canWrite(me) && !device.locked) {
    fill($('#actions'),
      h('li', {}, formLink('resend-request', { udi: device.udi }, 'Send its licenses again')),
      h('li', {}, formLink('evaluation-request', { udi: device.udi }, 'Evaluate a feature')),
      h('li', {}, formLink('rma-request', { failedUdi: device.udi }, 'Replace it (RMA)')),
      h('li', {}, formLink('rehost-request', {}, 'Transfer licenses (rehost)')));
  }

  const licenses = device.licenses || [];
  fill($('#licenses tbody'), licenses.length === 0
    ? h('tr', { class: 'empty' }, h('td', { colspan: 9 }, 'No license was issued for this device.'))
    : licenses.map(l => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, l.id)),
      h('td', {}, l.feature), h('td', {}, h('code', {}, l.sku || '')), h('td', {}, l.type), h('td', {}, badge(l.status)),
      h('td', { class: 'num' }, l.count > 0 ? String(l.count) : ''), h('td', {}, time(l.issuedAt)), h('td', {}, time(l.expiresAt)),
      h('td', {}, canWrite(me) && !device.locked && ['evaluation', 'extension'].includes(String(l.type).toLowerCase())
        && String(l.status).toUpperCase() !== 'REVOKED'
        ? formLink('extension-request', { udi: device.udi, feature: l.feature }, 'Extend') : '',
      canWrite(me) && !device.locked && String(l.status).toUpperCase() === 'ACTIVE'
        ? [' ', formLink('license-migration', { licenseId: l.id }, 'Upgrade')] : ''))));

  const history = device.history || [];
  fill($('#history tbody'), history.length === 0
    ? h('tr', { class: 'empty' }, h('td', { colspan: 4 }, 'Nothing happened to this device yet.'))
    : history.map(e => h('tr', {},
      h('td', {}, time(e.at)),
      h('td', {}, kindOf(e.kind) && requestPath(e.kind, e.id) ? requestLink(e.kind, e.id, kindLabel(e.kind)) : kindLabel(e.kind)),
      h('td', {}, e.status ? badge(e.status) : ''),
      h('td', {}, e.summary || '',
        FINAL.has(e.status) && e.status === 'ISSUED' && requestPath(e.kind, e.id)
          ? [' ', h('a', { href: `${requestPath(e.kind, e.id)}/license-file` }, 'license file')] : ''))));
  filtered($('#license-filter'), $('#licenses'));
  filtered($('#history-filter'), $('#history'));
});
