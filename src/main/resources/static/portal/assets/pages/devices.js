import { run, startPage, $, h, pagedTable, searchForm, queryParams } from '../app.js';

run(async () => {
  await startPage('devices');
  const list = pagedTable({
    table: $('#devices'),
    path: '/api/v1/devices',
    empty: 'No device matches.',
    row: d => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: `device.html?udi=${encodeURIComponent(d.udi)}` }, h('code', {}, d.udi))),
      h('td', {}, d.productId || ''),
      h('td', { class: 'num' }, String(d.activeLicenses ?? '')),
      h('td', { class: 'num' }, String(d.licenseCount ?? '')),
      h('td', {}, d.locked ? h('span', { class: 'status bad', title: d.lockedReason || '' }, 'LOCKED') : h('span', { class: 'status ok' }, 'IN USE'),
        d.certified ? ' certified' : '')),
  });
  const params = searchForm($('#search'), list, { initial: queryParams() });
  await list.load(params());
});
