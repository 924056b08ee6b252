// The signed-in user's devices (docs/security.md, "Devices"): every browser and CLI install registered
// with GET /api/devices, oldest first, this browser's marked, each with a button that revokes it
// (DELETE /api/devices/{id}). Revoking this browser's own device ends this session too, so the page
// hands that case to onOwnDeviceRevoked instead of refreshing the list.

import { dialogPage, h } from './ui.js';

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {{ deviceId?: string }} options.me
 * @param {() => void} options.onOwnDeviceRevoked
 * @returns {{ stop: () => void }}
 */
export function startDevicesPage({ api, me, onOwnDeviceRevoked }) {
  const page = dialogPage('devices-open', 'devices', refresh);
  const { part, showError } = page;

  async function refresh() {
    showError(null);
    try {
      const devices = await api.devices();
      part('list').replaceChildren(...devices.map(deviceItem));
    } catch (error) {
      showError(error);
    }
  }

  function deviceItem(device) {
    const own = device.id === me.deviceId;
    const label = own ? 'Revoke and sign out' : 'Revoke';
    const revoke = h('button', { type: 'button', class: 'small', testid: 'device-revoke', 'aria-label': `${label}: ${device.name}` }, label);
    revoke.addEventListener('click', async () => {
      revoke.disabled = true;
      try {
        await api.revokeDevice(device.id);
        if (own) {
          page.dialog.close();
          onOwnDeviceRevoked();
          return;
        }
        await refresh();
      } catch (error) {
        revoke.disabled = false;
        showError(error);
      }
    });
    return h('li', { testid: 'device', 'data-device-id': device.id },
      h('p', {}, h('strong', {}, device.name), own ? ' (this browser)' : '', ` — registered ${new Date(device.createdAt).toLocaleString()}`),
      revoke);
  }

  return { stop: page.stop };
}
