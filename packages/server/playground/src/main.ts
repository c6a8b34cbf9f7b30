import { callJson, keyStore } from './api-client.js';
import { byId, element, formatUsd } from './dom.js';
import { setUpHistoryTab } from './history-tab.js';
import { describePrice, loadModels } from './models.js';
import { setUpMusicTab } from './music-tab.js';
import { setUpSpeechTab } from './speech-tab.js';

/** The balance any key may read: `GET /api_keys/rate_limits` (`/billing/balance` needs an admin key). */
async function refreshBalance(): Promise<void> {
  const line = byId('balance');
  if (!keyStore.get()) {
    line.textContent = 'Balance: enter an API key to see it.';
    return;
  }
  try {
    const answer = await callJson<{ data: { balances: { USD: number; DIEM: number } } }>('/api_keys/rate_limits');
    const { USD, DIEM } = answer.data.balances;
    line.textContent = `Balance: ${formatUsd(USD)} USD${DIEM > 0 ? `, ${DIEM} DIEM` : ''}`;
  } catch (error) {
    line.textContent = `Balance unavailable: ${(error as Error).message}`;
  }
}

function setUpKey(onChange: () => void): void {
  const form = byId<HTMLFormElement>('key-form');
  const input = byId<HTMLInputElement>('api-key');
  const forget = byId<HTMLButtonElement>('forget-key');
  input.value = keyStore.get();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    keyStore.set(input.value.trim());
    onChange();
  });
  forget.addEventListener('click', () => {
    keyStore.set('');
    input.value = '';
    onChange();
    input.focus();
  });
}

/** Tabs per the ARIA tabs pattern: arrow keys, Home and End move between them; Tab goes into the panel. */
function setUpTabs(onShow: (panel: string) => void): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const show = (tab: HTMLButtonElement, focus: boolean) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      byId(other.getAttribute('aria-controls') as string).hidden = !selected;
    }
    if (focus) tab.focus();
    onShow(tab.getAttribute('aria-controls') as string);
  };
  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => show(tab, false));
    tab.addEventListener('keydown', (event) => {
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      show(tabs[(next + tabs.length) % tabs.length] as HTMLButtonElement, true);
    });
  });
}

async function start(): Promise<void> {
  const history = setUpHistoryTab();
  const afterJob = () => {
    void refreshBalance();
    if (!byId('panel-history').hidden) void history.refresh();
  };
  setUpKey(afterJob);
  setUpTabs((panel) => {
    if (panel === 'panel-history') void history.refresh();
  });
  void refreshBalance();
  try {
    const models = await loadModels();
    const list = byId('model-list');
    list.replaceChildren(...models.map((model) => element('li', {}, `${model.id} (${model.type}): ${describePrice(model.model_spec)}`)));
    setUpMusicTab(models, afterJob);
    setUpSpeechTab(models, afterJob);
  } catch (error) {
    byId('music-error').textContent = `Could not load the models: ${(error as Error).message}`;
  }
  document.body.dataset.ready = 'true';
}

void start();
