// The console's shell: the sign-in gate, the navigation and a router over the address's fragment (#/migrations,
// #/migrations/{id}, #/hosts). Each view mounts into the page and returns what stops its streams when it is left.

import { session, signOut } from './api.js';
import { h, fill } from './dom.js';
import * as login from './views/login.js';
import * as list from './views/list.js';
import * as timeline from './views/timeline.js';
import * as hosts from './views/hosts.js';

const main = document.querySelector('main');
const nav = document.querySelector('nav');
let unmount = () => {};

function route() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'hosts') return { view: hosts, params: {}, tab: 'hosts' };
  if (parts[0] === 'migrations' && parts[1]) return { view: timeline, params: { id: decodeURIComponent(parts[1]) }, tab: 'migrations' };
  return { view: list, params: { query }, tab: 'migrations' };
}

function navigation(tab) {
  const user = session();
  const link = (href, name, text) => h('a', { href, class: tab === name ? 'current' : null, 'data-test': `nav-${name}`, text });
  fill(nav, h('span', { class: 'brand', text: 'ferry' }), link('#/migrations', 'migrations', 'Migrations'),
    link('#/hosts', 'hosts', 'Hosts'), h('span', { class: 'spacer' }),
    h('span', { class: 'user', 'data-test': 'user', text: `${user.name} (${user.roles.join(', ')})` }),
    h('button', { class: 'plain', 'data-test': 'logout', text: 'Sign out', onclick: () => signOut() }));
}

function show(notice) {
  unmount();
  if (!session()) {
    fill(nav, h('span', { class: 'brand', text: 'ferry' }));
    unmount = login.mount(main, { notice, onSignedIn: () => show() });
    return;
  }
  const { view, params, tab } = route();
  navigation(tab);
  unmount = view.mount(main, params);
}

window.addEventListener('hashchange', () => show());
window.addEventListener('ferry:signed-out', (event) => show(event.detail));
show();
