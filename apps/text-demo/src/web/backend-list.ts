/** The backend picker: one radio button per registered backend, disabled (with the reason) where it cannot start. */
import { describeBackend, runsOnSoftwareGpu, type BackendStatus } from '../shared/backends.js';

/** Renders `statuses` into `list`, `active` checked; `onPick` gets the name the user chooses. */
export function renderBackendList(list: HTMLElement, statuses: readonly BackendStatus[], active: string, onPick: (name: string) => void): void {
  list.replaceChildren();
  for (const s of statuses) {
    const item = document.createElement('li');
    item.dataset.backend = s.name;
    item.className = s.available ? 'available' : 'unavailable';
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'backend';
    radio.id = `backend-${s.name}`;
    radio.value = s.name;
    radio.checked = s.name === active;
    radio.disabled = !s.available;
    radio.addEventListener('change', () => onPick(s.name));
    const label = document.createElement('label');
    label.htmlFor = radio.id;
    label.textContent = s.name;
    const facts = document.createElement('span');
    facts.className = 'facts';
    const described = describeBackend(s.info);
    facts.textContent = s.available
      ? `available${described ? ` · ${described}` : ''}${runsOnSoftwareGpu(s) ? ' · a GPU emulated in software (slow)' : ''}`
      : `not available: ${s.reason ?? 'no reason given'}`;
    item.append(radio, label, facts);
    list.append(item);
  }
}
