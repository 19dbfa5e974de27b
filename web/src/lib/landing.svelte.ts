import { afterNavigate } from '$app/navigation';
import { tick } from 'svelte';

/**
 * Where a link into a page lands: `#milestone-<id>` on the milestones page, `#item-<id>` on the
 * rollout page (links from the command palette, the portfolio and retro cards). The element with
 * that id is brought into view and focused (rows carry tabindex="-1"), and `current` names it so
 * the page can mark it until the next link. Call during component initialisation.
 *
 * After a navigation SvelteKit scrolls to the fragment but only moves the *starting point* of
 * keyboard navigation there; focusing the row makes a screen reader read it and the next Tab
 * continue from it. A link to another row of the same page is a plain `hashchange`.
 */
export function landingTarget(prefix: string): { readonly current: string | null } {
  let current = $state<string | null>(null);

  async function land(hash: string) {
    const id = hash.startsWith(`#${prefix}`) ? decodeURIComponent(hash.slice(1 + prefix.length)) : null;
    current = id;
    if (!id) return;
    await tick();
    const element = document.getElementById(`${prefix}${id}`);
    if (!element) return;
    element.scrollIntoView({ block: 'center' });
    element.focus({ preventScroll: true });
  }

  afterNavigate(({ to }) => void land(to?.url.hash ?? ''));
  $effect(() => {
    const onHash = () => void land(location.hash);
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  });

  return {
    get current() {
      return current;
    },
  };
}
