import { get, withQuery } from '../api.js';
import { run, startPage, $, h, fill, badge, canWrite, kindLabel, requestLink, showError } from '../app.js';
import { formCards } from '../forms.js';

const LIVE_MS = 3000;

run(async () => {
  const me = await startPage('dashboard');
  fill($('#welcome'), `Signed in to ${me.account.displayName} as ${me.user.displayName || me.user.email}.`);
  if (canWrite(me)) {
    formCards($('#forms'));
  } else {
    $('#start').hidden = true;
  }

  const paks = $('#paks tbody');
  get(withQuery('/api/v1/paks', { hasUnitsLeft: 'true', limit: 5 })).then(answer => {
    const items = answer.body.items || [];
    fill(paks, items.length === 0 ? h('tr', { class: 'empty' }, h('td', { colspan: 2 }, 'No PAK with units left.'))
      : items.map(p => h('tr', {}, h('td', {}, h('code', {}, p.code)), h('td', { class: 'num' }, String(p.unitsLeft)))));
  }).catch(error => showError($('#paks').parentElement, error, { before: $('#paks') }));

  // The latest requests, asked again every few seconds; an unchanged list answers 304.
  const requests = $('#requests tbody');
  let etag = null;
  const refresh = async () => {
    const answer = await get(withQuery('/api/v1/requests', { limit: 5 }), { etag });
    if (answer.status === 304) {
      return;
    }
    etag = answer.etag;
    const items = answer.body.items || [];
    fill(requests, items.length === 0 ? h('tr', { class: 'empty' }, h('td', { colspan: 3 }, 'No request yet.'))
      : items.map(r => h('tr', {}, h('td', {}, requestLink(r.kind, r.id, kindLabel(r.kind))), h('td', {}, h('code', {}, r.udi || '')),
        h('td', {}, badge(r.status)))));
  };
  await refresh().catch(error => showError($('#requests').parentElement, error, { before: $('#requests') }));
  setInterval(() => {
    if (!document.hidden) {
      refresh().catch(() => {});
    }
  }, LIVE_MS);
});
