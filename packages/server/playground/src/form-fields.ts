import type { FieldIssue } from './api-client.js';
import { element } from './dom.js';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** How a field's control reads into the request body; undefined leaves the field out. */
type Reader = (control: Control) => unknown;

interface Field {
  readonly control: Control;
  readonly error: HTMLElement;
  readonly read: Reader;
}

let counter = 0;

/**
 * The labelled controls of one form, each named after its request field, with a hint (limits) and
 * an error line tied to it by `aria-describedby`, so the server's own message shows next to it.
 */
export class FormFields {
  private readonly fields = new Map<string, Field>();
  readonly root = element('div', { class: 'fields' });

  /** Add a control for request field `name`. */
  add(name: string, label: string, control: Control, read: Reader, hint = ''): Control {
    const id = `field-${name}-${++counter}`;
    control.id = id;
    control.name = name;
    const error = element('p', { class: 'field-error', id: `${id}-error` });
    const hintNode = element('p', { class: 'hint', id: `${id}-hint` }, hint);
    control.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
    const labelNode = element('label', { for: id }, label);
    const wrapper =
      control instanceof HTMLInputElement && control.type === 'checkbox'
        ? element('div', { class: 'field checkbox' }, control, labelNode, hintNode, error)
        : element('div', { class: 'field' }, labelNode, control, hintNode, error);
    this.root.append(wrapper);
    this.fields.set(name, { control, error, read });
    return control;
  }

  /** The request body fields, with those whose reader answered undefined left out. */
  values(): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    for (const [name, field] of this.fields) {
      const value = field.read(field.control);
      if (value !== undefined) body[name] = value;
    }
    return body;
  }

  /** Clear every field's error. */
  clearErrors(): void {
    for (const field of this.fields.values()) {
      field.error.textContent = '';
      field.control.removeAttribute('aria-invalid');
    }
  }

  /** Show each issue next to its field; returns the issues that name no field here. Focuses the first invalid field. */
  showIssues(issues: readonly FieldIssue[], focus = true): FieldIssue[] {
    const unplaced: FieldIssue[] = [];
    let first: Control | undefined;
    for (const issue of issues) {
      const field = this.fields.get(String(issue.path[0] ?? ''));
      if (!field) {
        unplaced.push(issue);
        continue;
      }
      field.error.textContent = issue.message;
      field.control.setAttribute('aria-invalid', 'true');
      first ??= field.control;
    }
    if (focus) first?.focus();
    return unplaced;
  }
}

/** A `<select>` of these options, with `selected` chosen. */
export function select(options: readonly (string | number)[], selected?: string | number): HTMLSelectElement {
  const node = element('select');
  for (const option of options)
    node.append(element('option', { value: String(option), selected: String(option) === String(selected) }, String(option)));
  return node;
}

/** Readers: trimmed text (left out when empty), a number (left out when empty), a checkbox (left out unless ticked). */
export const read = {
  text: (control: Control) => (control.value.trim() === '' ? undefined : control.value),
  rawText: (control: Control) => control.value,
  number: (control: Control) => (control.value.trim() === '' ? undefined : Number(control.value)),
  checked: (control: Control) => ((control as HTMLInputElement).checked ? true : undefined),
  option: (control: Control) => control.value || undefined,
};
