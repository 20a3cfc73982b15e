// Sign-in, invitation and password-reset pages: CSRF from the XSRF-TOKEN cookie, problem details shown on fields.
var Auth = (function () {
  function cookie(name) {
    var match = document.cookie.split('; ').find(function (c) { return c.indexOf(name + '=') === 0; });
    return match ? decodeURIComponent(match.substring(name.length + 1)) : null;
  }
  // The cookie is set by the first answer of the portal; a page served before it asks once more.
  function withCsrf(use) {
    var token = cookie('XSRF-TOKEN');
    if (token) { use(token); return Promise.resolve(token); }
    return fetch('/portal/login', {credentials: 'same-origin'}).then(function () {
      var t = cookie('XSRF-TOKEN'); use(t); return t;
    });
  }
  function show(text, kind) {
    var m = document.getElementById('message');
    m.textContent = text;
    m.className = 'message ' + (kind || 'info');
    m.hidden = false;
  }
  function post(url, body) {
    return withCsrf(function () {}).then(function (token) {
      return fetch(url, {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-XSRF-TOKEN': token || ''}, body: JSON.stringify(body)});
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return {ok: response.ok, status: response.status, body: json};
      });
    });
  }
  function problem(p) {
    var shown = false;
    (p.errors || []).forEach(function (e) {
      var el = document.getElementById(e.field + '-error');
      if (el) { el.textContent = e.message; el.hidden = false; shown = true; }
    });
    if (!shown) { show(p.detail || 'Something went wrong; try again.', 'error'); }
  }
  // The link's token travels in the fragment, which browsers never send to any server or in a Referer.
  function linkToken() {
    return new URLSearchParams(location.hash.substring(1)).get('token');
  }
  return {withCsrf: withCsrf, show: show, post: post, problem: problem, linkToken: linkToken};
})();
