import { run, startPage, $, h, pagedTable, searchForm, queryParams, time, canWrite } from '../app.js';

run(async () => {
  const me = await startPage('paks');
  const list = pagedTable({
    table: $('#paks'),
    path: '/api/v1/paks',
    empty: 'No PAK matches.',
    row: p => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, p.code)),
      h('td', {}, time(p.createdAt)),
      h('td', {}, h('ul', { class: 'plain' }, (p.lines || []).map(l => h('li', {},
        h('code', {}, l.sku), `: ${l.remaining} of ${l.quantity} left`)))),
      h('td', { class: 'num' }, String(p.unitsLeft)),
      h('td', {}, canWrite(me) && p.unitsLeft > 0
        ? h('a', { href: `form.html?form=pak-registration&pakCode=${encodeURIComponent(p.code)}` }, 'Register') : '')),
  });
  const params = searchForm($('#search'), list, { initial: queryParams() });
  await list.load(params());
});
