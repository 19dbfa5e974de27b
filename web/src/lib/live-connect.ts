/**
 * What live.svelte.ts loads once the page is up: socket.io's client and the protocol's parser, in
 * a chunk of their own, so they are not evaluated while the page hydrates.
 */
export { closeWhenOffline, connectLive } from '@tandem/collab-protocol';
