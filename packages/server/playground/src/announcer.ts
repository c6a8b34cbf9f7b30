import { byId } from './dom.js';

/** Say something to screen-reader users through the page's assertive live region. */
export function announce(message: string): void {
  const region = byId('announcer');
  region.textContent = '';
  // A fresh text node in a later task, so the same message twice is announced twice.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}
