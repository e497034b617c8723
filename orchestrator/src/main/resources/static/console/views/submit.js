// The submit form: a VM, and a destination or none (ferry places it then). Offered to operators; a viewer sees it
// disabled, saying why, and the API would refuse it all the same (403), which the form shows as the API says it.

import { api } from '../api.js';
import { h, fill } from '../dom.js';

/** The form, its choices filled from the inventory once it answers. */
export function submitForm(operator, user) {
  const vm = h('select', { name: 'vmId', required: true, 'data-test': 'submit-vm' }, h('option', { value: '', text: 'loading…' }));
  const destination = h('select', { name: 'destinationHost', 'data-test': 'submit-destination' },
    h('option', { value: '', text: 'let ferry place it' }));
  const bandwidth = h('input', { name: 'bandwidthMbps', type: 'number', min: 1, placeholder: 'uncapped',
    'data-test': 'submit-bandwidth' });
  const message = h('p', { class: 'form-message', 'data-test': 'submit-message' });
  const button = h('button', { type: 'submit', 'data-test': 'submit', text: 'Migrate' });
  const fields = h('fieldset', { disabled: !operator },
    h('label', {}, 'VM ', vm), h('label', {}, 'to ', destination), h('label', {}, 'bandwidth (Mbit/s) ', bandwidth), button);
  const form = h('form', { class: 'card submit', 'data-test': 'submit-form' }, h('h3', { text: 'Migrate a VM' }), fields,
    operator ? null : h('p', { class: 'muted', 'data-test': 'submit-disabled',
      text: `Submitting needs the OPERATOR role; ${user?.name ?? 'you'} may only watch (${(user?.roles ?? []).join(', ')}).` }),
    message);

  Promise.all([api('/api/vms'), api('/api/hosts')]).then(([vms, hosts]) => {
    fill(vm, h('option', { value: '', text: 'choose a VM' }),
      vms.map((v) => h('option', { value: v.vmId, text: `${v.vmId} on ${v.host} (${v.memoryMb} MB, ${v.state})` })));
    fill(destination, h('option', { value: '', text: 'let ferry place it' }),
      hosts.map((host) => h('option', { value: host.host, text: `${host.host} (${host.mode}, ${host.freeMemoryMb} MB free)` })));
  }).catch((e) => { message.className = 'form-message error'; message.textContent = e.message; });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { vmId: vm.value };
    if (destination.value) body.destinationHost = destination.value;
    if (bandwidth.value) body.bandwidthMbps = Number(bandwidth.value);
    button.disabled = true;
    message.className = 'form-message';
    message.textContent = 'submitting…';
    try {
      const accepted = await api('/api/migrations', { method: 'POST', body });
      location.hash = `#/migrations/${accepted.migrationId}`;
    } catch (e) {
      message.className = 'form-message error';
      message.textContent = `${e.status === 403 ? 'Not allowed' : 'Refused'} (${e.status ?? 'no answer'}${e.reason ? `, ${e.reason}` : ''}): ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
