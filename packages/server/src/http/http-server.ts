import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { corsStep } from './cors.js';
import { FastLane, type RequestLine, roundMs } from './fast-lane.js';
import { BatchedServerResponse } from './response-batch.js';
import { ApiError } from '../domain/api-error.js';
import { JSON_CONTENT_TYPE, parseJsonBody, requestIdOf, toApiError } from './request-basics.js';
import './request-context.js';

export interface HttpServerOptions {
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly logLevel: string;
  /** `Access-Control-Allow-Origin` for browser clients (`*` by default). */
  readonly corsOrigin: string;
  /** Trust `X-Forwarded-For` from these proxies, so limits see the real client address. */
  readonly trustProxy?: boolean | string;
  /** Called with each answered request's route pattern, method, status and duration, for metrics. */
  readonly onResponse?: (route: string, method: string, status: number, milliseconds: number) => void;
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
  // Request lines are info: above that level, not even their objects are built.
  const requestLines = requestLogging || options.logLevel === 'info';
  const nodeHttpOptions: ServerOptions =
    options.requestTimeoutMs > 0
      ? {
          headersTimeout: Math.min(60_000, options.requestTimeoutMs),
          connectionsCheckingInterval: Math.min(30_000, Math.max(100, options.requestTimeoutMs / 4)),
        }
      : {};
  // With request lines logged (debug), every request goes through Fastify, which writes them.
  const fastLane = requestLogging
    ? undefined
    : new FastLane({
        bodyLimitBytes: options.bodyLimitBytes,
        onResponse: options.onResponse,
        logRequest: requestLines ? (line) => app.log.info(line, 'request') : undefined,
        logError: (error, context) => app.log.error({ err: error, ...context }, 'request failed'),
      });
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
    http: nodeHttpOptions,
    // Responses are batched, and the fast lane (if any) sees each request first; Fastify gets whatever it leaves.
    serverFactory: (handler: RequestListener) => laneServer(fastLane, handler, nodeHttpOptions, options.requestTimeoutMs),
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
    keepAliveTimeout: KEEP_ALIVE_MS,
    return503OnClosing: true,
    genReqId: (request) => requestIdOf(request.headers),
    routerOptions: { ignoreTrailingSlash: true },
  });
  // One onRequest hook, and hooks take callbacks rather than promises: they run on every request.
  const cors = corsStep(options.corsOrigin);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Also set on the raw response by the server (see laneServer); here for injected requests too.
    for (const [name, value] of SECURITY_HEADERS) reply.header(name, value);
    if (!cors(request, reply)) done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_CONTENT_TYPE, { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseJsonBody(body as string, request.method));
    } catch (error) {
      done(error as ApiError, undefined);
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
  // One info line per request (the fast lane writes the same line): ids and the route pattern, never
  // the raw URL (it may hold ids) nor any header (keys). No child logger: one pino call per request.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unknown';
    const ms = reply.elapsedTime;
    options.onResponse?.(route, request.method, reply.statusCode, ms);
    if (!requestLines) return done();
    const line: RequestLine = { reqId: request.id, method: request.method, route, status: reply.statusCode, ms: roundMs(ms) };
    const account = request.principal?.account.id;
    app.log.info(account === undefined ? line : { ...line, account }, 'request');
    done();
  });
  if (fastLane) fastLanes.set(app, fastLane);
  return app;
}

const KEEP_ALIVE_MS = 5000;
/** Headers every response carries: no MIME sniffing, no referrer leaked from the HTML pages. */
const SECURITY_HEADERS = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
] as const;
const fastLanes = new WeakMap<FastifyInstance, FastLane>();

/** The server's fast lane, where routes may add plain requests (none when requests are logged). */
export function fastLaneOf(app: FastifyInstance): FastLane | undefined {
  return fastLanes.get(app);
}

/**
 * A `node:http` server set up as Fastify would, whose responses are batched (see
 * `response-batch.ts`) and which offers each request to the fast lane first.
 */
function laneServer(lane: FastLane | undefined, fastify: RequestListener, httpOptions: ServerOptions, timeoutMs: number): Server {
  const server = createServer({ ...httpOptions, ServerResponse: BatchedServerResponse }, (request, response) => {
    // On every answer, whichever path writes it (fast lane, Fastify, a hijacked stream).
    for (const [name, value] of SECURITY_HEADERS) response.setHeader(name, value);
    if (!lane || !server.listening || !lane.take(request, response)) fastify(request, response);
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.requestTimeout = timeoutMs;
  server.setTimeout(timeoutMs);
  return server;
}
