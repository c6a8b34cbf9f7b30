import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../domain/api-error.js';
import { AmountError, fromMicros } from '../domain/money.js';
import { createAccountBodySchema, creditBodySchema } from '../domain/request-schemas.js';
import { invalidParameters, parseOrThrow } from '../domain/validation-error.js';
import { hashesEqual, hashKey } from '../services/api-keys.js';
import type { BalanceLine } from '../ports/store/store-records.js';
import type { CostLine } from '../services/cost-report.js';
import type { AppServices } from './app-services.js';

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
/** An instant in a query: milliseconds since the epoch, an ISO date (UTC midnight) or an ISO datetime with its zone. */
const instantSchema = z.string().transform((value, context) => {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  if (isoDate.safeParse(value).success || isoDateTime.safeParse(value).success) return Date.parse(value);
  context.addIssue({
    code: 'custom',
    message: 'must be an ISO 8601 date, a datetime with a time zone (Z or ±hh:mm), or milliseconds since the epoch',
  });
  return z.NEVER;
});
/** The query of `GET /operator/v1/costs`: validates it and describes it in the OpenAPI document. */
export const costsQuerySchema = z.object({
  from: instantSchema
    .optional()
    .describe('Start (inclusive): ISO date, ISO datetime with a zone, or epoch milliseconds; default 30 days ago.'),
  to: instantSchema.optional().describe('End (exclusive); default now.'),
});

/** Micro-units to the wire's decimal numbers, once, at the edge. */
const costFields = (line: Omit<CostLine, 'modelId'>) => ({
  jobs: line.jobs,
  delivered: line.delivered,
  revenue_usd: fromMicros(line.revenueUsd),
  revenue_diem: fromMicros(line.revenueDiem),
  upstream_cost_usd: fromMicros(line.upstreamCostUsd),
  margin_usd: fromMicros(line.marginUsd),
});

/** An amount the service refused (a credit past the balance maximum): the contract's 400, nothing changed. */
async function amountChecked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AmountError) throw invalidParameters([{ path: [error.field], message: error.rule }]);
    throw error;
  }
}

/**
 * The operator API under `/operator/v1`, guarded by `OVERTURE_OPERATOR_TOKEN` (disabled, 404,
 * when the token is not set). API keys, admin or not, are never accepted here.
 */
export function registerOperatorRoutes(app: FastifyInstance, services: AppServices): void {
  const token = services.operatorToken;
  if (!token) return;
  const expected = hashKey(token);
  const guard = async (request: FastifyRequest) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match || !hashesEqual(hashKey(match[1] as string), expected)) throw new ApiError('operator_required');
  };

  app.post('/operator/v1/accounts', { preHandler: guard }, async (request, reply) => {
    const body = parseOrThrow(createAccountBodySchema, request.body);
    reply.code(201);
    const input = { name: body.name, pro: body.pro, usd: body.usd, diemDaily: body.diem_daily };
    return amountChecked(() => services.accounts.create(input));
  });

  app.post<{ Params: { id: string } }>('/operator/v1/accounts/:id/credit', { preHandler: guard }, async (request) => {
    const body = parseOrThrow(creditBodySchema, request.body);
    if (!(await amountChecked(() => services.accounts.credit(request.params.id, body.usd, body.note))))
      throw new ApiError('account_not_found');
    return { success: true };
  });

  // The recorded x402 top-ups with their signed EIP-3009 authorizations, newest first: with the
  // local facilitator nothing is settled on chain, so the operator submits these to collect.
  app.get<{ Querystring: { limit?: string } }>('/operator/v1/x402/payments', { preHandler: guard }, async (request) => {
    const limit = Math.min(1000, Math.max(1, Number.parseInt(request.query.limit ?? '100', 10) || 100));
    const payments = await services.accounts.walletPayments(limit);
    return {
      data: payments.map((payment) => ({
        id: payment.id,
        wallet_address: payment.walletAddress,
        network: payment.network,
        asset: payment.asset,
        amount_usd: fromMicros(payment.amount),
        state: payment.state,
        transaction: payment.transaction,
        authorization: JSON.parse(payment.authorization),
        signature: payment.signature,
        created_at: new Date(payment.createdAt).toISOString(),
        credited_at: payment.creditedAt === null ? null : new Date(payment.creditedAt).toISOString(),
      })),
    };
  });

  // Revenue against upstream cost per model, over jobs that finished in [from, to) (default: the
  // last 30 days). `margin_usd` is USD revenue minus upstream cost; DIEM revenue is apart.
  app.get('/operator/v1/costs', { preHandler: guard }, async (request) => {
    const query = parseOrThrow(costsQuerySchema, request.query);
    const report = await services.costs.report(query);
    return {
      from: new Date(report.from).toISOString(),
      to: new Date(report.to).toISOString(),
      data: report.lines.map((line) => ({ model: line.modelId, ...costFields(line) })),
      total: costFields(report.total),
    };
  });

  app.get<{ Params: { id: string } }>('/operator/v1/accounts/:id', { preHandler: guard }, async (request) => {
    const found = await services.accounts.describe(request.params.id);
    if (!found) throw new ApiError('account_not_found');
    const { account, balance } = found;
    const line = (value: BalanceLine) => ({
      available: fromMicros(value.available),
      held: fromMicros(value.held),
      captured: fromMicros(value.captured),
      granted: fromMicros(value.granted),
    });
    return {
      account_id: account.id,
      name: account.name,
      pro: account.pro,
      diem_daily: fromMicros(account.diemDaily),
      usd: line(balance.usd),
      diem: line(balance.diem),
    };
  });
}
