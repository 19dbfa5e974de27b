import type { Attachment } from 'svelte/attachments';

/**
 * `{@attach nearViewport(() => (near = true))}`: calls `onNear` once, when the element comes within
 * `margin` of the viewport (at once if it already is). For heavy parts below the fold — their code
 * and data are fetched only when someone scrolls towards them, not during the page's first view.
 */
export function nearViewport(onNear: () => void, margin = '600px'): Attachment<HTMLElement> {
  return (element) => {
    if (typeof IntersectionObserver === 'undefined') {
      onNear();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        observer.disconnect();
        onNear();
      },
      { rootMargin: `${margin} 0px` },
    );
    observer.observe(element);
    return () => observer.disconnect();
  };
}
