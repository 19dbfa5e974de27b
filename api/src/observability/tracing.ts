/**
 * Optional OpenTelemetry tracing, through the standard OTEL_* settings. Off unless an OTLP
 * endpoint is set: then, and only then, the SDK and the http/express/pg instrumentations are
 * loaded — before the app is, because they patch those modules as they are first required (see
 * tracing-start.ts, the first import of main.ts). With the endpoint unset nothing of OpenTelemetry
 * is loaded at all.
 */
export interface Tracing {
  /** flushes the spans still buffered */
  shutdown(): Promise<void>;
}

export function tracingConfigured(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing | null {
  if (!tracingConfigured(env)) return null;
  // A conditional, synchronous load: CommonJS has no other way to load the SDK only when it is
  // configured and still before express, http and pg are required.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startOtel } = require('./otel') as typeof import('./otel');
  return startOtel();
}
