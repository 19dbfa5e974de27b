/**
 * Copies text to the clipboard. Where the browser refuses (permission, plain http, an old browser)
 * it selects the text in `field` instead, so Ctrl+C works. Returns what to tell the person.
 */
export async function copyOrSelect(text: string, field: HTMLInputElement | HTMLTextAreaElement | undefined): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return 'Copied to the clipboard.';
  } catch {
    field?.focus();
    field?.select();
    return 'Selected: press Ctrl+C (⌘C on a Mac) to copy it.';
  }
}
