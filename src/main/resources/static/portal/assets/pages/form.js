import { get } from '../api.js';
import { run, startPage, $, fill, queryParams, requestPath } from '../app.js';
import { FORMS, renderForm } from '../forms.js';

run(async () => {
  const me = await startPage('new', { requires: 'write' });
  if (!me) {
    return;
  }
  const { form: formId, ...given } = queryParams();
  const spec = FORMS[formId];
  if (!spec) {
    throw new Error('This address names no form: choose one under New request.');
  }
  document.title = `${spec.title} · Nodelock portal`;
  fill($('#title'), spec.title);
  fill($('#summary'), spec.summary);
  // Sensible starting values: the user's address for mail, the EULA version in force; the address's parameters
  // (e.g. a device's UDI from its page) win.
  const eulas = await get('/api/v1/eulas').then(a => a.body).catch(() => null);
  const prefill = { email: me.user.email, eulaVersion: eulas ? eulas.currentVersion : undefined, ...given };
  await renderForm($('#form'), formId, {
    prefill,
    onAccepted: answer => {
      const id = answer.body && answer.body.id;
      location.assign(requestPath(spec.kind, id) ? `request.html?${new URLSearchParams({ kind: spec.kind, id })}` : 'requests.html');
    },
  });
});
