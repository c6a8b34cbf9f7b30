import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { corsStep } from './cors.js';
import { ApiError } from '../domain/api-error.js';
import './request-context.js';

export interface HttpServerOptions {
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly logLevel: string;
  /** `Access-Control-Allow-Origin` for browser clients (`*` by default). */
  readonly corsOrigin: string;
  /** Trust `X-Forwarded-For` from these proxies, so limits see the real client address. */
  readonly trustProxy?: boolean | string;
  /** Called with each answered request's route and duration, for metrics. */
  readonly onResponse?: (route: string, status: number, milliseconds: number) => void;
  /** Log destination; stdout when absent. */
  readonly logStream?: { write(line: string): void };
}

/**
 * The Fastify instance with the contract's error shapes: JSON bodies only (415 otherwise,
 * 400 "Invalid JSON request" when unparsable), 413 over the size limit, `ApiError` → its status
 * and body, anything else → a logged 500 that leaks nothing.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const requestLogging = ['debug', 'trace'].includes(options.logLevel);
  const app = Fastify({
    logger: {
      level: options.logLevel,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["sign-in-with-x"]',
          'req.headers["x-sign-in-with-x"]',
          'req.headers["payment-signature"]',
          'req.headers["x-payment"]',
        ],
        censor: '[redacted]',
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: options.bodyLimitBytes,
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.requestTimeoutMs,
    // Node checks the request and header deadlines only every `connectionsCheckingInterval`
    // (30 s by default) and gives headers 60 s whatever `requestTimeout` says: a client trickling
    // bytes was never cut off by the idle timeout. Check often, and hold headers to the same limit.
    http:
      options.requestTimeoutMs > 0
        ? {
            headersTimeout: Math.min(60_000, options.requestTimeoutMs),
            connectionsCheckingInterval: Math.min(30_000, Math.max(100, options.requestTimeoutMs / 4)),
          }
        : {},
    // Malformed or over-long path parameters answer like any unknown id, in the contract's shape.
    frameworkErrors: (_error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const api = new ApiError(request.url.includes('/audio/status/') ? 'media_not_found' : 'route_not_found');
      reply.code(api.status).type('application/json').send(api.body());
    },
    // Two info lines per request cost a third of a retrieve's time under load: request lines are
    // logged at debug level only (errors are always logged by the error handler).
    logController: new LogController({ disableRequestLogging: !requestLogging }),
    // Without request lines, a child logger per request is wasted work: errors name the request id.
    childLoggerFactory: (logger, bindings, childOptions) => (requestLogging ? logger.child(bindings, childOptions) : logger),
    trustProxy: options.trustProxy ?? false,
    keepAliveTimeout: 5000,
    return503OnClosing: true,
    genReqId: (request) => {
      const sent = request.headers['x-request-id'];
      return typeof sent === 'string' && /^[\w.-]{1,100}$/.test(sent) ? sent : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  });
  // One onRequest hook, and hooks take callbacks rather than promises: they run on every request.
  const cors = corsStep(options.corsOrigin);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (!cors(request, reply)) done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json\b/i, { parseAs: 'string' }, (request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, request.method === 'GET' || request.method === 'DELETE' ? undefined : {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('invalid_json'), undefined);
    }
  });
  app.addContentTypeParser('*', (request, payload, done) => {
    // GET and DELETE bodies are ignored; anything else must be JSON.
    if (request.method === 'GET' || request.method === 'DELETE' || request.method === 'HEAD') {
      payload.resume();
      payload.on('end', () => done(null, undefined));
      return;
    }
    done(new ApiError('unsupported_media_type'), undefined);
  });
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const api = request.rewriteError ? request.rewriteError(toApiError(error)) : toApiError(error);
    if (api.status >= 500) request.log.error({ err: error, url: request.url, reqId: request.id }, 'request failed');
    reply.headers(api.headers).code(api.status).type('application/json').send(api.body());
  });
  app.setNotFoundHandler((_request, reply) => {
    const api = new ApiError('route_not_found');
    reply.code(api.status).send(api.body());
  });
  app.addHook('onResponse', (request, reply, done) => {
    options.onResponse?.(request.routeOptions.url ?? 'unknown', reply.statusCode, reply.elapsedTime);
    done();
  });
  return app;
}

function toApiError(error: FastifyError | ApiError): ApiError {
  if (error instanceof ApiError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ApiError('invalid_json');
    case 'FST_ERR_REQ_TIMEOUT':
      return new ApiError('timeout');
    default:
      if (error.statusCode === 413) return new ApiError('payload_too_large');
      if (error.statusCode === 400 && /JSON/i.test(error.message)) return new ApiError('invalid_json');
      return new ApiError('inference_failed');
  }
}
