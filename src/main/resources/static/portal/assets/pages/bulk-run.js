import { get, withQuery } from '../api.js';
import { run, startPage, $, h, fill, badge, time, pagedTable, queryParams } from '../app.js';

// A bulk moves a batch at a time, often more than once a second; its view carries no ETag (its rate and time left
// change with the clock), so the page simply asks again every second while the bulk runs, and stops once it is final.
const LIVE_MS = 1000;
const FINAL = new Set(['COMPLETED']);

const number = n => Number(n || 0).toLocaleString();

function rate(rowsPerSecond) {
  return rowsPerSecond >= 10 ? Math.round(rowsPerSecond).toLocaleString() : Number(rowsPerSecond).toFixed(1);
}

function timeLeft(seconds) {
  if (seconds < 60) {
    return `about ${Math.max(1, Math.ceil(seconds))} s left`;
  }
  if (seconds < 3600) {
    return `about ${Math.ceil(seconds / 60)} min left`;
  }
  return `about ${Math.floor(seconds / 3600)} h ${Math.ceil((seconds % 3600) / 60)} min left`;
}

/** "N of M rows (P %) · X rows/s · about T left", as far as the service knows it yet. */
function progressText(b) {
  const c = b.counts || {};
  const parts = [`${number((c.issued || 0) + (c.refused || 0))} of ${number(c.total)} rows (${b.percent ?? 0} %)`];
  if (b.rowsPerSecond !== undefined && b.rowsPerSecond !== null) {
    parts.push(`${rate(b.rowsPerSecond)} rows/s`);
  }
  if (FINAL.has(b.status)) {
    parts.push('complete');
  } else if (b.etaSeconds !== undefined && b.etaSeconds !== null) {
    parts.push(timeLeft(b.etaSeconds));
  } else {
    parts.push(b.status === 'SUBMITTED' ? 'waiting for the first batch' : 'time left not yet known');
  }
  return parts.join(' · ');
}

function fact(label, ...value) {
  const shown = value.filter(v => v !== null && v !== undefined && v !== '');
  return shown.length === 0 ? [] : [h('dt', {}, label), h('dd', {}, ...shown)];
}

const code = v => (v ? h('code', {}, v) : null);

function count(label, key, value) {
  return h('div', { class: `count ${key}` }, h('dt', {}, label), h('dd', { 'data-count': key }, number(value)));
}

run(async () => {
  await startPage('bulk');
  const { id } = queryParams();
  if (!/^[0-9a-fA-F-]{36}$/.test(String(id || ''))) {
    throw new Error('This address names no bulk fulfillment: open one from the list of bulk fulfillments.');
  }
  const path = `/api/v1/bulk-fulfillments/${id}`;
  const bar = $('#progress');
  const refused = pagedTable({
    table: $('#refused'),
    path: `${path}/rows`,
    empty: 'No row refused.',
    pageSize: 50,
    row: r => h('tr', { 'data-row': r.row },
      h('td', { class: 'num' }, String(r.line)),
      h('td', {}, h('code', {}, r.udi)),
      h('td', {}, h('code', {}, r.sku)),
      h('td', {}, r.refusal ? h('code', { class: 'refusal-code' }, r.refusal.code) : ''),
      h('td', {}, r.refusal ? r.refusal.message : '')),
  });
  let refusedShown = null;

  const show = async () => {
    const b = (await get(path)).body;
    const c = b.counts || {};
    const final = FINAL.has(b.status);
    // The refused rows first: once the page shows the bulk complete, its list of refused rows is complete too.
    if (refusedShown === null) {
      await refused.load({ status: 'REFUSED' });
      refusedShown = c.refused;
    } else if (c.refused !== refusedShown) {
      await refused.refresh();
      refusedShown = c.refused;
    }
    document.title = `Bulk fulfillment ${b.percent ?? 0} % · Nodelock portal`;
    fill($('#title'), 'Bulk fulfillment ', badge(b.status));

    const label = progressText(b);
    bar.setAttribute('aria-valuenow', String(b.percent ?? 0));
    bar.setAttribute('aria-valuetext', label);
    bar.dataset.status = b.status;
    $('#progress-fill').style.width = `${Math.min(100, Math.max(0, b.percent ?? 0))}%`;
    fill($('#progress-label'), label);
    fill($('#counts'), count('Issued', 'issued', c.issued), count('Refused', 'refused', c.refused),
      count('Pending', 'pending', c.pending), count('Total', 'total', c.total));

    fill($('#facts'),
      ...fact('Bulk id', code(b.id)),
      ...fact('PAK', code(b.pakCode)),
      ...fact('Uploaded as', b.source === 'csv' ? 'CSV' : b.source === 'json' ? 'JSON' : b.source),
      ...fact('EULA accepted', b.eulaVersion),
      ...fact('Result mail to', b.mail ? `${b.mail.recipient} (${b.mail.status})` : b.email),
      ...fact('Created', time(b.createdAt)),
      ...fact('Started', time(b.startedAt)),
      ...fact('Completed', time(b.completedAt)));

    const links = b.links || {};
    const downloads = [];
    if (final && links.archive) {
      downloads.push(h('li', {}, h('a', { class: 'button', id: 'download-archive', href: links.archive },
        `Download the archive (ZIP, ${number(c.issued)} licensed rows)`)));
    }
    if (final && links.outcomes) {
      downloads.push(h('li', {}, h('a', { class: 'button secondary', id: 'download-outcomes', href: links.outcomes },
        'Download outcomes.csv (every row)')));
    }
    fill($('#downloads'), downloads);
    $('#downloads-section').hidden = downloads.length === 0;

    $('#live').textContent = final ? '' : 'This bulk is running; its progress updates by itself.';
    return final;
  };

  // One request at a time: the next is asked for a second after the previous answer, so answers arrive in order.
  const poll = async () => {
    let final = false;
    try {
      final = document.hidden ? false : await show();
    } catch (error) {
      // A missed answer (a network blip) is asked for again at the next tick.
    }
    if (!final) {
      setTimeout(poll, LIVE_MS);
    }
  };
  if (!(await show())) {
    setTimeout(poll, LIVE_MS);
  }
});
