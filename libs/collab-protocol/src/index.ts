export * from './protocol.js';
export * from './messages.js';
export * from './parser.js';
export * from './provider.js';
export * from './connect.js';
export * from './schema.js';
export * from './retro.js';
export * from './live.js';
