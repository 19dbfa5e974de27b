import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Tracing } from './tracing';

/**
 * The OpenTelemetry SDK, loaded only when tracing is configured (see tracing.ts). Traces go over
 * OTLP/HTTP; the exporter, the batch processor and the sampler read the standard settings
 * themselves (OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT / _HEADERS, OTEL_BSP_*,
 * OTEL_TRACES_SAMPLER / _ARG), and OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES name the service.
 * Instrumented: incoming and outgoing HTTP (not the health probes or metrics scrapes), Express
 * routing (Nest runs on it) and every PostgreSQL query.
 */
export function startOtel(): Tracing {
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'tandem-api' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health\/|metrics(\?|$))/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
