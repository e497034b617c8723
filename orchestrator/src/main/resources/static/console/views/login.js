// Sign in with a ferry user (ferry.orchestrator.users). The credentials are checked against the API at once and kept
// for this tab only (sessionStorage).

import { signIn } from '../api.js';
import { h, fill } from '../dom.js';

export function mount(root, { notice, onSignedIn }) {
  const user = h('input', { name: 'user', autocomplete: 'username', required: true, autofocus: true, 'data-test': 'login-user' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true,
    'data-test': 'login-password' });
  const message = h('p', { class: notice ? 'form-message error' : 'form-message', 'data-test': 'login-message', text: notice ?? '' });
  const button = h('button', { type: 'submit', 'data-test': 'login', text: 'Sign in' });
  const form = h('form', { class: 'card login', 'data-test': 'login-form' },
    h('h2', { text: 'Sign in to ferry' }),
    h('label', {}, 'user', user), h('label', {}, 'password', password), button, message,
    h('p', { class: 'muted', text: 'A user of this orchestrator (ferry.orchestrator.users); ./ferry up prints two.' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    message.className = 'form-message';
    message.textContent = 'checking…';
    try {
      await signIn(user.value, password.value);
      onSignedIn();
    } catch (e) {
      message.className = 'form-message error';
      message.textContent = e.status === 401 ? 'Wrong user or password.' : `Could not sign in: ${e.message}`;
      button.disabled = false;
    }
  });
  fill(root, form);
  return () => {};
}
