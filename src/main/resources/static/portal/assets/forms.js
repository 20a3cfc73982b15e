// The Camunda Forms of forms/, rendered with bpmn.io's form-js viewer (the global FormViewer of the bundled UMD build)
// and submitted to the REST API, the same intake an API token's request goes through. The intake's problem details
// come back onto the form: each error on the field it names, the rest above the form.
import { get, post, Problem } from './api.js';
import { h, fill } from './app.js';

const UDI = udi => (udi || '').trim();
const text = value => (typeof value === 'string' ? value.trim() : value);

/**
 * Each customer form: what it asks for, where it is submitted and what the answer is. body(data) turns the form's
 * data (keyed by field key) into the API's JSON; fields maps an API error's field to the form key where the two
 * differ (the intake's field names equal the form keys otherwise).
 */
export const FORMS = {
  'pak-registration': {
    title: 'Register a PAK',
    summary: 'Redeem a unit of your PAK for a device: the signed license file is issued and emailed.',
    kind: 'fulfillment',
    path: () => '/api/v1/fulfillments',
    idempotent: true,
    body: d => ({ pakCode: text(d.pakCode), udi: UDI(d.udi), sku: text(d.sku), email: text(d.email), eulaAccepted: d.eulaAccepted === true }),
  },
  'evaluation-request': {
    title: 'Evaluate a feature',
    summary: 'A time-limited evaluation license for a device you hold, without a PAK, once per feature.',
    kind: 'evaluation',
    path: () => '/api/v1/evaluations',
    body: d => ({ udi: UDI(d.udi), feature: text(d.feature), email: text(d.email), eulaVersion: text(d.eulaVersion), eulaAccepted: d.eulaAccepted === true }),
  },
  'extension-request': {
    title: 'Extend an evaluation',
    summary: 'More days of use of an evaluated feature: approved by policy or decided by TAC.',
    kind: 'extension',
    path: () => '/api/v1/extensions',
    body: d => ({ udi: UDI(d.udi), feature: text(d.feature), days: d.days, reason: text(d.reason), email: text(d.email),
      eulaVersion: text(d.eulaVersion), eulaAccepted: d.eulaAccepted === true }),
  },
  'license-migration': {
    title: 'Upgrade a license',
    summary: 'Move a license to a higher SKU, or an evaluation to a permanent license, for one unit of your PAK.',
    kind: 'migration',
    path: d => `/api/v1/licenses/${encodeURIComponent(text(d.licenseId) || '')}/migrate`,
    body: d => ({ pakCode: text(d.pakCode), sku: text(d.sku), eulaAccepted: d.eulaAccepted === true }),
  },
  'rma-request': {
    title: 'Replace a failed device (RMA)',
    summary: 'Move the licenses of a failed device to its replacement.',
    kind: 'rma',
    path: () => '/api/v1/rmas',
    body: d => ({ failedUdi: UDI(d.failedUdi), replacementUdi: UDI(d.replacementUdi), rmaNumber: text(d.rmaNumber), email: text(d.email) }),
  },
  'rehost-request': {
    title: 'Transfer licenses (rehost)',
    summary: 'Move permanent licenses from a working device to another one with a permission ticket.',
    kind: 'rehost',
    path: () => '/api/v1/rehosts',
    // The form takes the ids comma-separated; the API takes a list.
    body: d => ({ credential: text(d.credential), email: text(d.email),
      licenseIds: String(d.licenseIds || '').split(',').map(s => s.trim()).filter(s => s) }),
  },
  'rehost-ticket-upload': {
    title: 'Upload a rehost ticket',
    summary: 'Finish a rehost: the ticket your device wrote when it revoked the licenses.',
    kind: 'rehost',
    needs: 'rehostId',
    path: d => `/api/v1/rehosts/${encodeURIComponent(text(d.rehostId) || '')}/rehost-ticket`,
    body: d => ({ rehostTicket: text(d.rehostTicket), destinationUdi: UDI(d.destinationUdi) }),
  },
  'resend-request': {
    title: 'Send my licenses again',
    summary: 'Every license active on a device, mailed again to your account\'s address and downloadable.',
    kind: 'resend',
    path: () => '/api/v1/resends',
    body: d => ({ udi: UDI(d.udi) }),
  },
};

/** Field keys of a form-js schema, with their field ids (form-js keys its errors by field id). */
function fieldIds(components, ids = {}) {
  for (const component of components || []) {
    if (component.key) {
      ids[component.key] = component.id;
    }
    fieldIds(component.components, ids);
  }
  return ids;
}

/** The form key an API error's field names: itself, its mapped name, or a list field's base (licenseIds[0]). */
function formKeyOf(field, keys, map = {}) {
  if (!field) {
    return null;
  }
  const candidates = [map[field], field, field.replace(/\[\d+\]$/, '').replace(/\.\d+$/, '')];
  return candidates.find(k => k && keys.has(k)) || null;
}

/**
 * Renders one form into host and wires its submission. prefill: values by field key (only keys the form has are
 * used). onAccepted(answer) runs after the API accepted the request. Answers the form-js Form.
 */
export async function renderForm(host, formId, { prefill = {}, onAccepted } = {}) {
  const spec = FORMS[formId];
  if (!spec) {
    throw new Error(`There is no form '${formId}' in the portal`);
  }
  const schema = (await get(`/portal/forms/${encodeURIComponent(formId)}`)).body;
  const ids = fieldIds(schema.components);
  const keys = new Set(Object.keys(ids));
  const data = {};
  for (const [key, value] of Object.entries(prefill)) {
    if (keys.has(key) && value !== undefined && value !== null && value !== '') {
      data[key] = value;
    }
  }
  const errorsBox = h('div', { class: 'form-errors', 'aria-live': 'assertive' });
  const container = h('div', { class: 'form-host' });
  const submit = h('button', { type: 'button', id: 'submit-form' }, 'Submit');
  const status = h('span', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  fill(host, errorsBox, container, h('div', { class: 'form-actions' }, submit, status));

  // eslint-disable-next-line no-undef
  // Every keystroke reaches the form's data at once (form-js debounces text fields by 300 ms otherwise): what the
  // person sees is what is submitted, however fast they click.
  const form = new FormViewer.Form({ container, debounce: false });
  await form.importSchema(schema, data);
  // One key per visit: a second click, or a retry after a network error, cannot redeem a second PAK unit.
  const idempotencyKey = spec.idempotent && crypto.randomUUID ? crypto.randomUUID() : null;

  submit.addEventListener('click', async () => {
    errorsBox.replaceChildren();
    const result = form.submit();
    if (Object.keys(result.errors).length > 0) {
      status.textContent = 'Correct the fields marked, then submit again.';
      return;
    }
    if (spec.needs && !text(result.data[spec.needs])) {
      errorsBox.append(h('p', { class: 'message error', role: 'alert' }, 'Open this form from the request it belongs to.'));
      return;
    }
    submit.disabled = true;
    status.textContent = 'Submitting…';
    try {
      const answer = await post(spec.path(result.data), spec.body(result.data), {
        headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
      });
      status.textContent = 'Accepted.';
      if (onAccepted) {
        onAccepted(answer, spec);
      }
    } catch (error) {
      status.textContent = '';
      showProblem(form, errorsBox, error, ids, keys, spec.fields);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** Puts each field error on its field (form-js's own error display) and the rest above the form. */
function showProblem(form, box, error, ids, keys, map) {
  const onFields = {};
  const elsewhere = [];
  if (error instanceof Problem) {
    for (const e of error.errors) {
      const key = formKeyOf(e.field, keys, map);
      if (key) {
        (onFields[ids[key]] = onFields[ids[key]] || []).push(e.message);
      } else {
        elsewhere.push(e.field ? `${e.field}: ${e.message}` : e.message);
      }
    }
  }
  if (Object.keys(onFields).length > 0) {
    // form-js 1.x keeps the errors it shows under each field in its state, keyed by field id; the viewer has no
    // public setter for errors from outside (validate() computes its own), so the state is set as submit() does.
    form._setState({ errors: onFields });
  }
  if (elsewhere.length > 0 || Object.keys(onFields).length === 0) {
    const title = error instanceof Problem && error.code ? `${error.message} (${error.code})` : error.message;
    box.append(h('div', { class: 'message error', role: 'alert' }, title,
      elsewhere.length > 0 && !(elsewhere.length === 1 && elsewhere[0] === error.message)
        ? h('ul', {}, elsewhere.map(m => h('li', {}, m))) : null));
  } else {
    box.append(h('p', { class: 'message error', role: 'alert' },
      error.code ? `Not accepted (${error.code}): see the fields marked below.` : 'Not accepted: see the fields marked below.'));
  }
}

/** Cards for the forms a customer starts on their own (the rehost ticket upload is opened from its rehost). */
export function formCards(list) {
  fill(list, Object.entries(FORMS).filter(([, spec]) => !spec.needs).map(([id, spec]) => h('li', {},
    h('h2', {}, spec.title),
    h('p', {}, spec.summary),
    h('a', { class: 'button', href: `form.html?form=${encodeURIComponent(id)}` }, 'Open form'))));
}
