import { run, startPage, $ } from '../app.js';
import { formCards } from '../forms.js';

run(async () => {
  if (await startPage('new', { requires: 'write' })) {
    formCards($('#forms'));
  }
});
