import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../domain/api-error.js';
import { fromMicros } from '../domain/money.js';
import { parseOrThrow } from '../domain/validation-error.js';
import type { AppServices } from './app-services.js';
import { authenticate } from './authenticate.js';

const balanceParamsSchema = z.object({ walletAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x wallet address') });

/** The x402 payment header: `PAYMENT-SIGNATURE` (v2), or the older `X-PAYMENT` / `X-402-Payment`. */
function paymentHeader(request: FastifyRequest): string | undefined {
  const value = request.headers['payment-signature'] ?? request.headers['x-payment'] ?? request.headers['x-402-payment'];
  return Array.isArray(value) ? value[0] : value;
}

/** `POST /x402/top-up` and `GET /x402/balance/{walletAddress}` (only when x402 is enabled). */
export function registerX402Routes(app: FastifyInstance, services: AppServices): void {
  const wallets = services.wallets;
  if (!wallets) return;

  app.post('/api/v1/x402/top-up', async (request, reply) => {
    // No key here: attempts (each a signature check, or facilitator calls) are limited per address.
    const limit = services.authentication.limits.other;
    const decision = await services.limiter.hit(`x402-top-up:${request.ip}`, limit, 60_000, services.now());
    if (!decision.allowed) throw new ApiError('rate_limited', {}, undefined, { 'retry-after': String(Math.ceil(decision.resetMs / 1000)) });
    const resource = `${request.protocol}://${request.host}${request.url}`;
    const answer = await wallets.topUp(paymentHeader(request), resource);
    reply.header('payment-response', answer.paymentResponse);
    return answer.body;
  });

  app.get<{ Params: { walletAddress: string } }>(
    '/api/v1/x402/balance/:walletAddress',
    { preHandler: authenticate(services.authentication, { wallet: true }) },
    async (request) => {
      const { walletAddress } = parseOrThrow(balanceParamsSchema, request.params);
      const principal = request.principal!;
      if (walletAddress.toLowerCase() !== principal.wallet?.toLowerCase())
        throw new ApiError('sign_in_invalid', { reason: 'the sign-in is for another wallet' });
      const balance = await services.accounts.balance(principal.account.id);
      const offer = wallets.offer;
      return {
        success: true,
        data: {
          walletAddress: principal.wallet,
          balanceUsd: fromMicros(balance.usd.available),
          canConsume: balance.usd.available > 0 || balance.diem.available > 0,
          minimumTopUpUsd: fromMicros(offer.minimumMicros),
          suggestedTopUpUsd: fromMicros(offer.suggestedMicros),
          diemBalanceUsd: fromMicros(balance.diem.available),
        },
      };
    },
  );
}
