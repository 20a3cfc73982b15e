// The portal's one way to the REST API: the session cookie authenticates, every write carries the CSRF token the
// server set in the XSRF-TOKEN cookie, and an error answer becomes a Problem (RFC 9457 problem details).

const SIGN_IN = '/portal/login';

/** An error answer of the API: its problem details, with the field errors the intake named. */
export class Problem extends Error {
  constructor(status, body) {
    const detail = body && typeof body === 'object' ? (body.detail || body.title) : null;
    super(detail || `The service answered HTTP ${status}`);
    this.status = status;
    this.body = body && typeof body === 'object' ? body : {};
    this.code = this.body.code || null;
    this.type = this.body.type || null;
    /** [{field, message}] as the API sends them; empty when the problem concerns no field. */
    this.errors = Array.isArray(this.body.errors) ? this.body.errors.filter(e => e && e.message) : [];
  }
}

/** The CSRF token the server handed out (a readable cookie), or null before it set one. */
export function csrfToken() {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'XSRF-TOKEN') {
      return decodeURIComponent(value.join('='));
    }
  }
  return null;
}

/** A path with the non-empty parameters as its query. */
export function withQuery(path, params = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '' && value !== false) {
      query.set(name, String(value));
    }
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Sends one request. Answers {status, body, etag, location, headers}; a 304 has no body. Any other status that is
 * not 2xx throws a Problem; a 401 (the session ended) goes to the sign-in page instead. The body is sent as JSON,
 * unless contentType names another type: then it is sent as it is (a CSV upload's text).
 */
export async function request(method, path, { body, headers = {}, etag, contentType } = {}) {
  const sent = { Accept: 'application/json, application/problem+json', ...headers };
  if (method !== 'GET' && method !== 'HEAD') {
    let token = csrfToken();
    if (!token) {
      // The token cookie is set by the first request that needs it; ask for it once.
      await fetch('/api/v1/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      token = csrfToken();
    }
    if (token) {
      sent['X-XSRF-TOKEN'] = token;
    }
  }
  if (body !== undefined) {
    sent['Content-Type'] = contentType || 'application/json';
  }
  if (etag) {
    sent['If-None-Match'] = etag;
  }
  const response = await fetch(path, {
    method,
    headers: sent,
    body: body === undefined ? undefined : contentType ? body : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'follow',
  });
  if (response.status === 401) {
    location.assign(SIGN_IN);
    throw new Problem(401, { detail: 'Your session has ended: sign in again.' });
  }
  const type = response.headers.get('Content-Type') || '';
  let parsed = null;
  if (response.status !== 204 && response.status !== 304 && type.includes('json')) {
    parsed = await response.json().catch(() => null);
  } else if (response.status !== 204 && response.status !== 304) {
    parsed = await response.text();
  }
  if (!response.ok && response.status !== 304) {
    throw new Problem(response.status, parsed);
  }
  return {
    status: response.status,
    body: parsed,
    etag: response.headers.get('ETag'),
    location: response.headers.get('Location'),
    headers: response.headers,
  };
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body, options = {}) => request('POST', path, { ...options, body });
export const patch = (path, body, options = {}) => request('PATCH', path, { ...options, body });
export const del = (path, options) => request('DELETE', path, options);

/** Signs out (POST with the CSRF token) and shows the sign-in page. */
export async function signOut() {
  const token = csrfToken();
  try {
    await fetch('/portal/logout', {
      method: 'POST',
      credentials: 'same-origin',
      headers: token ? { 'X-XSRF-TOKEN': token } : {},
    });
  } finally {
    location.assign(`${SIGN_IN}?logout`);
  }
}
