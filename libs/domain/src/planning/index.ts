export * from './checklist.js';
export * from './dates.js';
export * from './dependencies.js';
export * from './golive.js';
export * from './health.js';
export * from './raci.js';
export * from './schemas.js';
export * from './words.js';
