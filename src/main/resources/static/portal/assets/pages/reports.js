import { withQuery } from '../api.js';
import { run, startPage } from '../app.js';

/** The report's address with the form's filled-in parameters: what the form downloads, and what a script with a token asks for. */
function address(form) {
  const params = {};
  for (const input of form.elements) {
    if (input.name) {
      params[input.name] = input.value.trim();
    }
  }
  return withQuery(form.getAttribute('action'), params);
}

run(async () => {
  await startPage('reports');
  // Each report is a plain GET form: the browser downloads the CSV with the session cookie (the answer is an
  // attachment, so the page stays). Empty parameters are left out of the address rather than sent empty.
  for (const form of document.querySelectorAll('form.report-form')) {
    const shown = form.querySelector('[data-api-url]');
    const show = () => {
      shown.textContent = `GET ${address(form)}`;
    };
    form.addEventListener('input', show);
    form.addEventListener('formdata', event => {
      for (const [name, value] of [...event.formData.entries()]) {
        if (String(value).trim() === '') {
          event.formData.delete(name);
        }
      }
    });
    show();
  }
});
