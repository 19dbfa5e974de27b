import { onMount } from 'svelte';

/**
 * `ready.current` turns true once the component is mounted in the browser. Buttons that only work
 * with JavaScript are disabled until then, so a click during page load is never silently lost.
 * Call during component initialisation.
 */
export function mounted(): { readonly current: boolean } {
  let current = $state(false);
  onMount(() => {
    current = true;
  });
  return {
    get current() {
      return current;
    },
  };
}
