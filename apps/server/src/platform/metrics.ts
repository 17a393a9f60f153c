import client from 'prom-client';

/** Process-wide Prometheus registry; one set of instruments per process. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const messagesTotal = new client.Counter({
  name: 'messages_total',
  help: 'Messages by channel type, direction and status',
  labelNames: ['channel_type', 'direction', 'status'] as const,
  registers: [registry],
});

export const jobFailures = new client.Counter({
  name: 'job_failures_total',
  help: 'Job handler failures by queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const sseConnections = new client.Gauge({
  name: 'sse_connections',
  help: 'Open Server-Sent Events connections',
  registers: [registry],
});

export const queueDepth = new client.Gauge({
  name: 'job_queue_depth',
  help: 'Jobs waiting per queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});
