import { get, post, withQuery, Problem } from '../api.js';
import { run, startPage, $, h, fill, badge, time, canWrite, pagedTable, queryParams } from '../app.js';

const BULKS = '/api/v1/bulk-fulfillments';
const LIVE_MS = 3000;

const number = n => (n === undefined || n === null ? '' : Number(n).toLocaleString());
const runLink = (id, text) => h('a', { href: withQuery('bulk-run.html', { id }) }, text);

/**
 * A refused upload, readably: the service's sentence, then each finding it itemised ("line 7: ..."), and how many it
 * left out (it itemises the first 100).
 */
function refusal(error) {
  if (!(error instanceof Problem)) {
    return h('div', { class: 'message error', role: 'alert' }, error instanceof Error ? error.message : String(error));
  }
  const body = error.body;
  const findings = error.errors;
  const count = Number.isInteger(body.count) ? body.count : findings.length;
  const extra = [];
  if (body.code === 'PAK_EXHAUSTED' && body.sku) {
    extra.push(h('p', {}, `${body.sku}: ${body.unitsLeft ?? '?'} units left, ${body.unitsNeeded ?? '?'} needed.`));
  }
  if (body.code === 'TOO_MANY_ROWS' && body.maxRows) {
    extra.push(h('p', {}, `${body.rows ?? 'More'} rows; at most ${body.maxRows} per bulk.`));
  }
  return h('div', { class: 'message error bulk-refusal', role: 'alert', 'data-code': body.code || null },
    h('p', {}, h('strong', {}, 'Not started: '), error.message),
    extra,
    findings.length === 0 ? null : h('ul', { class: 'findings' }, findings.map(e => h('li', {},
      e.field ? [h('strong', {}, e.field), ': '] : null, e.message))),
    count > findings.length ? h('p', {}, `… and ${count - findings.length} more.`) : null);
}

/** The PAKs with units left, as suggestions for the PAK field (it still takes any code typed). */
async function suggestPaks() {
  const answer = await get(withQuery('/api/v1/paks', { hasUnitsLeft: 'true', limit: 100 }));
  fill($('#bulk-paks'), (answer.body.items || []).map(p => h('option', { value: p.code },
    `${p.unitsLeft} units left: ${(p.lines || []).filter(l => l.remaining > 0).map(l => `${l.sku} (${l.remaining})`).join(', ')}`)));
}

function startForm(me) {
  const form = $('#bulk-form');
  const errors = $('#bulk-errors');
  const status = $('#bulk-status');
  const submit = $('#bulk-submit');
  const given = queryParams();
  form.elements.pakCode.value = given.pakCode || '';
  form.elements.email.value = me.user.email || '';
  get('/api/v1/eulas').then(answer => {
    if (answer.body && answer.body.currentVersion) {
      fill($('#bulk-eula-label'), `I accept the end-user license agreement, version ${answer.body.currentVersion} `
        + '(required for the rows whose SKU is an evaluation, extension or subscription)');
    }
  }).catch(() => {});
  suggestPaks().catch(() => {});

  form.addEventListener('submit', async event => {
    event.preventDefault();
    errors.replaceChildren();
    const file = form.elements.file.files[0];
    // A chosen file is what is sent; the text area otherwise. Nothing of the form is cleared on a refusal.
    let csv;
    try {
      csv = file ? await file.text() : form.elements.csv.value;
    } catch (error) {
      errors.append(h('div', { class: 'message error', role: 'alert' }, `The file could not be read: ${error.message}`));
      return;
    }
    if (!csv.trim()) {
      errors.append(h('div', { class: 'message error', role: 'alert' }, 'Choose a CSV file or paste the rows (udi,sku).'));
      return;
    }
    submit.disabled = true;
    status.textContent = 'Uploading…';
    try {
      const answer = await post(withQuery(BULKS, {
        pakCode: form.elements.pakCode.value.trim(),
        email: form.elements.email.value.trim(),
        eulaAccepted: form.elements.eulaAccepted.checked ? 'true' : null,
      }), csv, { contentType: 'text/csv' });
      status.textContent = 'Accepted.';
      location.assign(withQuery('bulk-run.html', { id: answer.body.id }));
    } catch (error) {
      status.textContent = '';
      errors.append(refusal(error));
      errors.scrollIntoView({ block: 'nearest' });
    } finally {
      submit.disabled = false;
    }
  });
}

run(async () => {
  const me = await startPage('bulk');
  if (canWrite(me)) {
    $('#start').hidden = false;
    startForm(me);
  }
  let running = false;
  const list = pagedTable({
    table: $('#bulks'),
    path: BULKS,
    empty: 'No bulk fulfillment yet.',
    pageSize: 20,
    row: b => {
      const counts = b.counts || {};
      running = running || b.status !== 'COMPLETED';
      return h('tr', { 'data-id': b.id },
        h('th', { scope: 'row' }, runLink(b.id, `Bulk ${String(b.id).slice(0, 8)}`)),
        h('td', {}, h('code', {}, b.pakCode || '')),
        h('td', {}, badge(b.status)),
        h('td', { class: 'num' }, number(counts.total)),
        h('td', { class: 'num' }, number(counts.issued)),
        h('td', { class: 'num' }, number(counts.refused)),
        h('td', { class: 'num' }, number(counts.pending)),
        h('td', { class: 'num' }, `${b.percent ?? 0} %`),
        h('td', {}, time(b.createdAt)),
        h('td', {}, time(b.completedAt)));
    },
  });
  await list.load({});
  // While a bulk shown is still running, its row is asked for again every few seconds (these lists carry no ETag).
  setInterval(() => {
    if (running && !document.hidden) {
      running = false;
      list.refresh().catch(() => {
        running = true;
      });
    }
  }, LIVE_MS);
});
