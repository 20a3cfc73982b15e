import { get, post, del } from '../api.js';
import { run, startPage, $, h, fill, time, showError } from '../app.js';

run(async () => {
  const me = await startPage('tokens', { requires: 'write' });
  if (!me) {
    return;
  }
  const table = $('#tokens');
  const body = table.tBodies[0];
  const filter = $('#token-filter');
  const showRevoked = $('#show-revoked');
  let tokens = [];

  const render = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = tokens.filter(t => (showRevoked.checked || !t.revokedAt)
      && (!needle || [t.name, t.scope, t.createdBy].join(' ').toLowerCase().includes(needle)));
    fill(body, shown.length === 0 ? h('tr', { class: 'empty' }, h('td', { colspan: 7 }, 'No token matches.')) : shown.map(t => h('tr', {},
      h('th', { scope: 'row' }, t.name),
      h('td', {}, t.scope),
      h('td', {}, time(t.createdAt)),
      h('td', {}, t.createdBy || ''),
      h('td', {}, t.lastUsedAt ? time(t.lastUsedAt) : 'never'),
      h('td', {}, t.revokedAt ? h('span', { class: 'status bad' }, 'REVOKED') : h('span', { class: 'status ok' }, 'ACTIVE')),
      h('td', {}, t.revokedAt ? '' : h('button', {
        type: 'button', class: 'danger', 'aria-label': `Revoke the token ${t.name}`,
        onclick: async event => {
          if (!confirm(`Revoke the token "${t.name}"? Anything using it stops working at once.`)) {
            return;
          }
          event.target.disabled = true;
          try {
            await del(`/api/v1/account/tokens/${encodeURIComponent(t.id)}`);
            await load();
          } catch (error) {
            event.target.disabled = false;
            showError(table.parentElement, error, { before: table });
          }
        },
      }, 'Revoke')))));
  };

  const load = async () => {
    const all = [];
    let cursor = null;
    // The account's tokens are few; every page is read so the filter sees them all.
    do {
      const answer = await get(`/api/v1/account/tokens${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      all.push(...(answer.body.items || []));
      cursor = answer.body.next || null;
    } while (cursor);
    tokens = all;
    render();
  };
  filter.addEventListener('input', render);
  showRevoked.addEventListener('change', render);
  $('#search').addEventListener('submit', e => e.preventDefault());

  $('#create').addEventListener('submit', async event => {
    event.preventDefault();
    const form = event.target;
    const created = $('#created');
    created.replaceChildren();
    form.querySelector('button').disabled = true;
    try {
      const answer = await post('/api/v1/account/tokens', { name: form.elements.name.value.trim(), scope: form.elements.scope.value });
      const token = answer.body;
      const field = h('input', { id: 'new-token', readonly: true, value: token.token, 'aria-label': `The new token ${token.name}` });
      const copy = h('button', { type: 'button', class: 'secondary', id: 'copy-token' }, 'Copy');
      copy.addEventListener('click', async () => {
        field.select();
        try {
          await navigator.clipboard.writeText(token.token);
          copy.textContent = 'Copied';
        } catch (e) {
          // Without clipboard access (plain http, a refused permission) the selected text is copied by hand.
          copy.textContent = 'Press Ctrl+C';
        }
      });
      fill(created, h('div', { class: 'message warning', role: 'alert' },
        h('p', {}, h('strong', {}, `Token "${token.name}" (${token.scope}) created. Copy it now: it is shown only this once.`),
          ' The service keeps only a hash of it; if you lose it, revoke it and create another.'),
        h('div', { class: 'secret' }, field, copy)));
      form.reset();
      await load();
    } catch (error) {
      showError(created, error);
    } finally {
      form.querySelector('button').disabled = false;
    }
  });
  await load();
});
