// Shared by every portal page: the signed-in user, the header and navigation, DOM building without innerHTML (text
// from the API is never parsed as HTML), formatting, and the paged, searchable lists.
import { get, signOut, withQuery, Problem } from './api.js';

export const ROLES = {
  ACCOUNT_ADMIN: 'Account admin',
  ACCOUNT_USER: 'User',
  ACCOUNT_VIEWER: 'Viewer',
};

const NAV = [
  { id: 'dashboard', href: './', text: 'Dashboard' },
  { id: 'paks', href: 'paks.html', text: 'PAKs' },
  { id: 'devices', href: 'devices.html', text: 'Devices' },
  { id: 'licenses', href: 'licenses.html', text: 'Licenses' },
  { id: 'requests', href: 'requests.html', text: 'Requests' },
  { id: 'bulk', href: 'bulk.html', text: 'Bulk' },
  { id: 'reports', href: 'reports.html', text: 'Reports' },
  { id: 'new', href: 'forms.html', text: 'New request', write: true },
  { id: 'tokens', href: 'tokens.html', text: 'API tokens', write: true },
  { id: 'users', href: 'users.html', text: 'Users', admin: true },
];

/** Builds an element: h('a', {href: '...', class: 'x'}, 'text', child...). Strings become text nodes. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function isAdmin(me) {
  return me && me.user && me.user.role === 'ACCOUNT_ADMIN';
}

/** Viewers read; users and admins may also submit requests and hold API tokens. */
export function canWrite(me) {
  return me && me.user && (me.user.role === 'ACCOUNT_ADMIN' || me.user.role === 'ACCOUNT_USER');
}

/**
 * Starts a page: loads the signed-in user, draws the header with the navigation (entries the user's role may use),
 * and answers the user ({user, account}). A page meant for a role the user lacks shows why instead of its content.
 */
export async function startPage(pageId, { requires } = {}) {
  const me = (await get('/api/v1/me')).body;
  const header = $('header.top');
  const items = NAV.filter(item => (!item.write || canWrite(me)) && (!item.admin || isAdmin(me)));
  fill(header, h('div', { class: 'bar' },
    h('a', { class: 'brand', href: './' }, 'Nodelock'),
    h('nav', { 'aria-label': 'Portal' }, h('ul', {}, items.map(item => h('li', {},
      h('a', { href: item.href, 'aria-current': item.id === pageId ? 'page' : null }, item.text))))),
    h('div', { class: 'who' },
      h('span', {}, h('strong', { 'data-testid': 'account-name' }, me.account.displayName),
        h('span', {}, h('span', { 'data-testid': 'user-email' }, me.user.email), ` · ${ROLES[me.user.role] || me.user.role}`)),
      h('button', { type: 'button', class: 'secondary', id: 'sign-out', onclick: () => signOut() }, 'Sign out'))));
  const allowed = requires === 'write' ? canWrite(me) : requires === 'admin' ? isAdmin(me) : true;
  if (!allowed) {
    const main = $('main');
    const title = $('h1', main);
    fill(main, title, h('p', { class: 'message info', role: 'status' }, requires === 'admin'
      ? 'Only an account admin of your account may manage its users.'
      : 'Your role (viewer) may look at your account\'s PAKs, devices and requests, but not change anything.'));
    return null;
  }
  return me;
}

/** Runs a page's start, showing any failure on the page instead of leaving it blank. */
export function run(start) {
  start().catch(error => {
    if (error instanceof Problem && error.status === 401) {
      return;
    }
    showError($('main'), error);
    console.error(error);
  });
}

/** A message box at the top of a container (role alert). */
export function showError(container, error, { before } = {}) {
  const text = error instanceof Error ? error.message : String(error);
  const box = h('div', { class: 'message error', role: 'alert' }, text);
  if (before) {
    container.insertBefore(box, before);
  } else {
    container.prepend(box);
  }
  return box;
}

// ---- formatting ----

export function when(instant) {
  if (!instant) {
    return '';
  }
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? String(instant) : date.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

/** The time element for an instant (machine-readable datetime, local text). */
export function time(instant) {
  return instant ? h('time', { datetime: instant }, when(instant)) : '';
}

const GOOD = new Set(['ISSUED', 'ACTIVE', 'COMPLETED', 'SENT']);
const BAD = new Set(['REJECTED', 'EXPIRED', 'CANCELLED', 'REVOKED', 'FAILED', 'LOCKED']);

/** Request states after which nothing changes any more. */
export const FINAL = new Set(['ISSUED', 'REJECTED', 'EXPIRED', 'CANCELLED']);

export function badge(status) {
  const text = status || 'UNKNOWN';
  const tone = GOOD.has(text) ? 'ok' : BAD.has(text) ? 'bad' : 'wait';
  return h('span', { class: `status ${tone}`, 'data-status': text }, text.replaceAll('_', ' '));
}

// ---- requests: every kind the API answers for, by its list name ----

const KINDS = {
  fulfillment: { label: 'PAK fulfillment', path: '/api/v1/fulfillments/' },
  rma: { label: 'RMA', path: '/api/v1/rmas/' },
  rehost: { label: 'Rehost', path: '/api/v1/rehosts/' },
  evaluation: { label: 'Evaluation', path: '/api/v1/evaluations/' },
  extension: { label: 'Extension', path: '/api/v1/extensions/' },
  resend: { label: 'Resend', path: '/api/v1/resends/' },
  migration: { label: 'Migration', path: '/api/v1/migrations/' },
};

/** The request kind for a name as lists and links spell it (fulfillment, FULFILLMENT, fulfillments...). */
export function kindOf(name) {
  const key = String(name || '').toLowerCase().replace(/s$/, '');
  return KINDS[key] ? key : null;
}

export function kindLabel(name) {
  const kind = kindOf(name);
  return kind ? KINDS[kind].label : String(name || '');
}

/** The API resource of one request; null for an unknown kind or an id that is not a UUID. */
export function requestPath(kind, id) {
  const known = kindOf(kind);
  if (!known || !/^[0-9a-fA-F-]{36}$/.test(String(id || ''))) {
    return null;
  }
  return KINDS[known].path + id;
}

export function requestLink(kind, id, text) {
  return h('a', { href: withQuery('request.html', { kind: kindOf(kind) || kind, id }) }, text || id);
}

// ---- paged, searchable lists ----

/**
 * A table fed by a cursor-paged API list ({items, next}): load(params) fills it, "More" appends the next page, and
 * refresh() asks for the rows shown again with If-None-Match, so an unchanged list costs a 304.
 *
 * @param options.table    the <table> (its tbody is filled)
 * @param options.path     the list's API path
 * @param options.row      item => <tr>
 * @param options.empty    text of the row shown when the list is empty
 * @param options.pageSize items per page
 */
export function pagedTable({ table, path, row, empty, pageSize = 25 }) {
  const body = table.tBodies[0] || table.appendChild(h('tbody'));
  const columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'More');
  const count = h('span', { role: 'status', 'aria-live': 'polite' });
  table.after(h('div', { class: 'list-foot' }, more, count));
  let params = {};
  let next = null;
  let shown = 0;
  let etag = null;
  let generation = 0;

  function render(items, replace) {
    if (replace) {
      body.replaceChildren();
      shown = 0;
    }
    for (const item of items) {
      body.append(row(item));
    }
    shown += items.length;
    if (shown === 0) {
      body.replaceChildren(h('tr', { class: 'empty' }, h('td', { colspan: columns }, empty)));
    }
    more.hidden = !next;
    count.textContent = shown === 0 ? '' : `${shown} shown${next ? '; more available' : ''}`;
  }

  async function page(cursor, limit) {
    return get(withQuery(path, { ...params, limit, cursor }), { etag: cursor ? null : etag });
  }

  const list = {
    /** Shows the first page for these search parameters. */
    async load(search = params) {
      params = search;
      etag = null;
      const mine = ++generation;
      const answer = await page(null, pageSize);
      if (mine !== generation) {
        return;
      }
      etag = answer.etag;
      next = answer.body.next || null;
      render(answer.body.items || [], true);
    },
    /** Asks again for as many rows as are shown (first page up to 100); an unchanged list answers 304. */
    async refresh() {
      const mine = generation;
      const limit = Math.min(100, Math.max(pageSize, shown));
      const answer = await page(null, limit);
      if (mine !== generation || answer.status === 304) {
        return false;
      }
      etag = answer.etag;
      next = answer.body.next || null;
      render(answer.body.items || [], true);
      return true;
    },
    get size() {
      return shown;
    },
  };

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const answer = await page(next, pageSize);
      next = answer.body.next || null;
      render(answer.body.items || [], false);
    } catch (error) {
      showError(table.parentElement, error, { before: table });
    } finally {
      more.disabled = false;
    }
  });
  return list;
}

/** Wires a search <form>: its named inputs become the list's parameters on submit (and on change of a select or box). */
export function searchForm(form, list, { initial = {} } = {}) {
  for (const [name, value] of Object.entries(initial)) {
    if (form.elements[name] && value !== null && value !== undefined) {
      const input = form.elements[name];
      if (input.type === 'checkbox') {
        input.checked = value === true || value === 'true';
      } else {
        input.value = value;
      }
    }
  }
  const params = () => {
    const values = {};
    for (const input of form.elements) {
      if (!input.name) {
        continue;
      }
      values[input.name] = input.type === 'checkbox' ? (input.checked ? 'true' : '') : input.value.trim();
    }
    return values;
  };
  const reload = () => list.load(params()).catch(error => showError(form.parentElement, error, { before: form.nextSibling }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    reload();
  });
  for (const input of form.elements) {
    if (input.tagName === 'SELECT' || input.type === 'checkbox') {
      input.addEventListener('change', reload);
    }
  }
  return params;
}

/** Query parameters of the page's address. */
export function queryParams() {
  return Object.fromEntries(new URLSearchParams(location.search).entries());
}
