export * from './roles.js';
export * from './schemas.js';
export * from './validation.js';
export * from './planning/index.js';
export * from './docs.js';
export * from './auth.js';
export * from './views/index.js';
