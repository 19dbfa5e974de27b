import { formErrors } from '$lib/api';

/**
 * A new checklist item being written, in a wave's "Add item" and in the checklist template: its
 * title and "Required to go live", the errors to show by field (`form` for the whole form) and
 * whether it is being saved. The form's other fields stay with the form.
 */
export class ItemDraft {
  title = $state('');
  required = $state(true);
  errors = $state<Record<string, string>>({});
  busy = $state(false);

  /** Checks the title, then runs `save` with it trimmed; what `save` throws becomes `errors`. */
  async submit(event: SubmitEvent, save: (title: string) => Promise<void>): Promise<void> {
    event.preventDefault();
    this.errors = {};
    if (!this.title.trim()) {
      this.errors = { title: 'Give the item a title' };
      return;
    }
    this.busy = true;
    try {
      await save(this.title.trim());
    } catch (e) {
      this.errors = formErrors(e, 'Could not add the item');
    } finally {
      this.busy = false;
    }
  }

  /** Back to empty (and required), once the item is added. */
  clear(): void {
    this.title = '';
    this.required = true;
  }
}
