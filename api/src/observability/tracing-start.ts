import { startTracing } from './tracing';

/** Imported first by main.ts, so tracing (when configured) is running before anything it instruments is loaded. */
export const tracing = startTracing();
