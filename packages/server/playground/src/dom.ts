/** Create an element with attributes and children; `text` sets its text content. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}

/** The element with this id, which the page must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page has no #${id}`);
  return node as T;
}

/** A USD amount as people read it: at least 2 decimals, at most 6, never floating-point noise. */
export function formatUsd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const fixed = amount.toFixed(6).replace(/0{1,4}$/, '');
  return `$${fixed}`;
}

/** Seconds as m:ss. */
export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
