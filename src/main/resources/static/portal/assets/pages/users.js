import { get, post, patch } from '../api.js';
import { run, startPage, $, h, fill, time, showError, ROLES } from '../app.js';

run(async () => {
  const me = await startPage('users', { requires: 'admin' });
  if (!me) {
    return;
  }
  const table = $('#users');
  const filter = $('#user-filter');
  let users = [];

  const change = async (user, body, control) => {
    control.disabled = true;
    try {
      await patch(`/api/v1/account/users/${encodeURIComponent(user.id)}`, body);
      await load();
    } catch (error) {
      control.disabled = false;
      showError(table.parentElement, error, { before: table });
      render();
    }
  };

  const render = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = users.filter(u => !needle || [u.displayName, u.email, ROLES[u.role] || u.role, u.status].join(' ').toLowerCase().includes(needle));
    fill(table.tBodies[0], shown.length === 0 ? h('tr', { class: 'empty' }, h('td', { colspan: 6 }, 'No user matches.')) : shown.map(u => {
      const self = u.id === me.user.id;
      const role = h('select', { 'aria-label': `Role of ${u.email}`, disabled: self },
        Object.entries(ROLES).map(([value, label]) => h('option', { value, selected: value === u.role }, label)));
      role.addEventListener('change', () => change(u, { role: role.value }, role));
      const disabled = String(u.status).toUpperCase() === 'DISABLED';
      return h('tr', {},
        h('th', { scope: 'row' }, u.displayName || ''),
        h('td', {}, u.email),
        h('td', {}, self ? (ROLES[u.role] || u.role) : role),
        h('td', {}, h('span', { class: `status ${disabled ? 'bad' : 'ok'}` }, String(u.status || ''))),
        h('td', {}, u.lastSignInAt ? time(u.lastSignInAt) : 'never'),
        h('td', {}, self ? h('span', { class: 'muted' }, 'you') : h('button', {
          type: 'button', class: disabled ? 'secondary' : 'danger',
          onclick: event => change(u, { disabled: !disabled }, event.target),
        }, disabled ? 'Enable' : 'Disable')));
    }));
  };

  const load = async () => {
    const all = [];
    let cursor = null;
    do {
      const answer = await get(`/api/v1/account/users${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
      all.push(...(answer.body.items || []));
      cursor = answer.body.next || null;
    } while (cursor);
    users = all;
    render();
  };
  filter.addEventListener('input', render);
  $('#search').addEventListener('submit', e => e.preventDefault());

  $('#invite').addEventListener('submit', async event => {
    event.preventDefault();
    const form = event.target;
    const invited = $('#invited');
    invited.replaceChildren();
    form.querySelector('button').disabled = true;
    try {
      const email = form.elements.email.value.trim();
      await post('/api/v1/account/users/invitations', { email, role: form.elements.role.value });
      fill(invited, h('p', { class: 'message success', role: 'status' }, `Invitation sent to ${email}.`));
      form.reset();
      await load();
    } catch (error) {
      showError(invited, error);
    } finally {
      form.querySelector('button').disabled = false;
    }
  });
  await load();
});
