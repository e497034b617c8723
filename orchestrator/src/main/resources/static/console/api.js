// The REST API as the signed-in user calls it. The console keeps the user's Basic credentials in sessionStorage (gone
// with the tab) and marks every call with X-Requested-With, so a 401 comes without a Basic challenge and the browser
// shows no native dialog over the console's own sign-in form.

const KEY = 'ferry.console.session';

/** A refusal of the API, with its problem's detail and reason (problem+json). */
export class ApiError extends Error {
  constructor(status, detail, reason) {
    super(detail);
    this.status = status;
    this.reason = reason;
  }
}

function basic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** The signed-in user ({name, roles, authorization}), or null. */
export function session() {
  const stored = sessionStorage.getItem(KEY);
  return stored ? JSON.parse(stored) : null;
}

export function isOperator() {
  return session()?.roles?.includes('OPERATOR') ?? false;
}

export function signOut(why) {
  sessionStorage.removeItem(KEY);
  window.dispatchEvent(new CustomEvent('ferry:signed-out', { detail: why }));
}

/** Checks the credentials with GET /api/me and keeps them; throws ApiError when they are refused. */
export async function signIn(user, password) {
  const authorization = basic(user, password);
  const me = await call('/api/me', { authorization });
  sessionStorage.setItem(KEY, JSON.stringify({ name: me.name, roles: me.roles, authorization }));
  return me;
}

/** Headers of an authenticated call. */
export function headers(authorization = session()?.authorization) {
  const result = { 'X-Requested-With': 'ferry-console', Accept: 'application/json' };
  if (authorization) result.Authorization = authorization;
  return result;
}

/** Turns a refused answer into an ApiError naming what the API said. */
export async function refusal(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // not problem+json: the status says enough
  }
  const detail = problem.detail || problem.title || `${response.status} ${response.statusText}`;
  return new ApiError(response.status, detail, problem.reason);
}

async function call(path, { method = 'GET', body, signal, authorization } = {}) {
  const init = { method, signal, headers: headers(authorization), cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    throw await refusal(response);
  }
  return response.status === 204 ? null : response.json();
}

/** GET or POST as the signed-in user; a 401 (a password changed, a restart with new users) signs out. */
export async function api(path, options = {}) {
  try {
    return await call(path, options);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && !options.authorization) {
      signOut('The server no longer accepts your credentials: sign in again.');
    }
    throw e;
  }
}
