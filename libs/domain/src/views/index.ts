export { viewRegistry, pageOf, onePageOf, namedRef, fieldErrorView, type ViewMeta } from './registry.js';
export * from './programs.js';
export * from './planning.js';
export * from './reporting.js';
export * from './docs.js';
export * from './auth.js';
