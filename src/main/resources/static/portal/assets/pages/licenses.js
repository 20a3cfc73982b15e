import { withQuery } from '../api.js';
import { run, startPage, $, h, badge, time, pagedTable, searchForm, queryParams } from '../app.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 25;

const TYPES = { permanent: 'Permanent', evaluation: 'Evaluation', extension: 'Extension', subscription: 'Subscription' };

/**
 * The start of the canonical binding PID:<pid>,SN:<sn> the API makes of a UDI prefix (docs/inventory.md): PID:... as
 * is; PID_SN-start (a PID's / written ~); anything else the start of a PID.
 */
export function canonicalUdiPrefix(prefix) {
  if (prefix.startsWith('PID:')) {
    return prefix;
  }
  const underscore = prefix.indexOf('_');
  if (underscore >= 0) {
    return `PID:${prefix.slice(0, underscore).replaceAll('~', '/')},SN:${prefix.slice(underscore + 1)}`;
  }
  return `PID:${prefix.replaceAll('~', '/')}`;
}

/** The later of a date the form holds (00:00 UTC, as the API reads it) and an instant, as the API's parameter. */
function later(dateText, instant) {
  const date = dateText ? new Date(`${dateText}T00:00:00Z`) : null;
  return date && !Number.isNaN(date.getTime()) && date > instant ? dateText : instant.toISOString();
}

function earlier(dateText, instant) {
  const date = dateText ? new Date(`${dateText}T00:00:00Z`) : null;
  return date && !Number.isNaN(date.getTime()) && date < instant ? dateText : instant.toISOString();
}

/**
 * The licenses list's parameters for what the search form holds. Two fields are the page's own, said in the API's
 * terms: the product is the UDI prefix PID:<product>,SN: (every license of that product; with a UDI prefix as well,
 * the narrower of the two, or an error when they exclude each other), and "ends within N days" is the expiry window
 * from now to N days on (with the date fields as well, the overlap of both).
 */
export function apiParams(values, now = new Date()) {
  const { product, within, ...params } = values;
  const typed = (params.udiPrefix || '').toUpperCase();
  const ofProduct = product ? `PID:${product.toUpperCase().replaceAll('~', '/')},SN:` : '';
  if (ofProduct && typed) {
    const prefix = canonicalUdiPrefix(typed);
    if (prefix.startsWith(ofProduct)) {
      params.udiPrefix = prefix;
    } else if (ofProduct.startsWith(prefix)) {
      params.udiPrefix = ofProduct;
    } else {
      throw new Error(`No license matches both: a UDI starting with ${typed} is not a ${product.toUpperCase()}.`);
    }
  } else {
    params.udiPrefix = ofProduct || typed;
  }
  if (within) {
    const days = Number(within);
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw new Error('"Ends within" is a whole number of days, 1 to 3650.');
    }
    params.expiresAfter = later(params.expiresAfter, now);
    params.expiresBefore = earlier(params.expiresBefore, new Date(now.getTime() + days * DAY_MS));
  }
  return params;
}

/** The device page of a license's device, by the device's path form (a PID's / is ~: an encoded / is refused). */
function deviceLink(license) {
  const path = license.device ? license.device.split('/').pop() : license.udi;
  return h('a', { href: `device.html?udi=${encodeURIComponent(path)}` }, h('code', {}, license.udi));
}

function ends(license) {
  if (license.expiresAt) {
    return time(license.expiresAt);
  }
  const type = String(license.type || '').toLowerCase();
  if (type === 'permanent') {
    return h('span', { class: 'muted' }, 'never');
  }
  if (type === 'evaluation' || type === 'extension') {
    return h('span', { class: 'muted', title: 'Counts days of use on the device; the expiry report gives the earliest end' }, 'days of use');
  }
  return '';
}

/** Items per page: the address may ask for 1 to 200 (the API's bounds), as a search can be bookmarked with it. */
function pageSize(requested) {
  const n = Number(requested);
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : null;
}

run(async () => {
  await startPage('licenses');
  const initial = queryParams();
  const limit = pageSize(initial.limit);
  const list = pagedTable({
    table: $('#licenses'),
    path: '/api/v1/licenses',
    pageSize: limit || PAGE_SIZE,
    empty: 'No license matches.',
    row: l => h('tr', { 'data-id': l.id },
      h('th', { scope: 'row' }, h('code', {}, l.id)),
      h('td', {}, l.feature || '', l.count > 0 ? h('span', { class: 'muted' }, ` (${l.count} units)`) : ''),
      h('td', {}, l.sku ? h('code', {}, l.sku) : ''),
      h('td', {}, TYPES[l.type] || l.type || ''),
      h('td', {}, badge(l.status)),
      h('td', {}, l.udi ? deviceLink(l) : ''),
      h('td', {}, time(l.issuedAt)),
      h('td', {}, ends(l))),
  });
  // The search the table shows is the page's address: reloading or bookmarking it runs it again.
  const search = {
    async load(values) {
      history.replaceState(null, '', withQuery(location.pathname, { ...values, limit }));
      for (const box of document.querySelectorAll('main > .message.error')) {
        box.remove();
      }
      await list.load(apiParams(values));
    },
  };
  const params = searchForm($('#search'), search, { initial });
  await search.load(params());
});
