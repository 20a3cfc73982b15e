import { run, startPage, $, h, badge, time, kindLabel, requestLink, requestPath, pagedTable, searchForm, queryParams } from '../app.js';

const LIVE_MS = 3000;

/** The downloads a request offers once issued (a rehost's permission ticket while it waits for the device). */
export function downloads(r) {
  const path = requestPath(r.kind, r.id);
  if (!path) {
    return [];
  }
  const links = [];
  if (r.status === 'ISSUED') {
    links.push(h('a', { href: `${path}/license-file` }, 'License file'));
  }
  if (String(r.kind).toLowerCase().startsWith('rehost') && ['AWAITING_REHOST_TICKET', 'REHOST_TICKET_RECEIVED', 'ISSUED'].includes(r.status)) {
    links.push(h('a', { href: `${path}/permission-ticket` }, 'Permission ticket'));
  }
  return links.flatMap((link, i) => (i === 0 ? [link] : [' · ', link]));
}

run(async () => {
  await startPage('requests');
  const list = pagedTable({
    table: $('#requests'),
    path: '/api/v1/requests',
    empty: 'No request matches.',
    row: r => h('tr', { 'data-id': r.id },
      h('th', { scope: 'row' }, requestLink(r.kind, r.id, kindLabel(r.kind))),
      h('td', {}, h('code', {}, r.udi || '')),
      h('td', {}, badge(r.status)),
      h('td', {}, r.summary || ''),
      h('td', {}, time(r.createdAt)),
      h('td', {}, time(r.completedAt)),
      h('td', {}, downloads(r))),
  });
  const params = searchForm($('#search'), list, { initial: queryParams() });
  await list.load(params());
  // Live status: the rows shown are asked for again; an unchanged list costs a 304. Hidden tabs do not ask.
  setInterval(() => {
    if (!document.hidden) {
      list.refresh().catch(() => {});
    }
  }, LIVE_MS);
});
