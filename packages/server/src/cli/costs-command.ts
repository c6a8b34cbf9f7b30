import {
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  type ErrorInit,
  NotFoundError,
  OvertureError,
  RateLimitError,
  ServerError,
  TimeoutError,
  type ValidationIssue,
} from '@overture/sdk';
import { clientCommand } from './command.js';
import { CommandError, EXIT } from './exit-codes.js';
import { text } from './option-values.js';
import { formatUsd, renderTable } from './table.js';

/** The sums of one line of `GET /operator/v1/costs`. */
interface CostFields {
  readonly jobs: number;
  readonly delivered: number;
  readonly revenue_usd: number;
  readonly revenue_diem: number;
  readonly upstream_cost_usd: number;
  readonly margin_usd: number;
}

/** The answer of `GET /operator/v1/costs`. */
interface CostReport {
  readonly from: string;
  readonly to: string;
  readonly data: readonly (CostFields & { readonly model: string })[];
  readonly total: CostFields;
}

/** The operator API lives beside `/api/v1` on the same server: `…/api/v1` → `…/operator/v1`. */
export function operatorUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/operator/v1${path}`;
}

/** An error answer as the SDK's error of its status, so exit codes match the other commands. */
async function errorOf(response: Response): Promise<OvertureError> {
  const body = (await response.json().catch(() => undefined)) as { error?: unknown; issues?: unknown; details?: unknown } | undefined;
  const status = response.status;
  const message = typeof body?.error === 'string' ? body.error : `HTTP ${status}`;
  const init: ErrorInit = {
    status,
    body,
    requestId: response.headers.get('x-request-id') ?? undefined,
    ...(Array.isArray(body?.issues) ? { issues: body.issues as ValidationIssue[] } : {}),
    ...(body?.details && typeof body.details === 'object' ? { details: body.details as ErrorInit['details'] } : {}),
  };
  if (status === 400) return new BadRequestError(message, init);
  if (status === 401 || status === 403) return new AuthenticationError(message, init);
  if (status === 404) return new NotFoundError(`${message} (is OVERTURE_OPERATOR_TOKEN set on the server, and is --base-url right?)`, init);
  if (status === 429) return new RateLimitError(message, init);
  if (status >= 500) return new ServerError(message, init);
  return new OvertureError(message, init);
}

const usd = (value: number) => (value < 0 ? `-${formatUsd(-value)}` : formatUsd(value));

/**
 * `overture costs [--from DATE] [--to DATE]`: revenue against upstream cost per model, from the
 * operator API of the server at `--base-url` with `OVERTURE_OPERATOR_TOKEN` (not an API key).
 */
export const costsCommand = clientCommand({
  summary: 'Revenue against upstream cost per model (operator: OVERTURE_OPERATOR_TOKEN)',
  usage: 'overture costs [--from DATE] [--to DATE]      with OVERTURE_OPERATOR_TOKEN in the environment',
  options: [
    { name: 'from', value: 'DATE', description: 'start of the period: ISO date or datetime, or epoch ms (default 30 days before --to)' },
    { name: 'to', value: 'DATE', description: 'end of the period, excluded (default now)' },
  ],
  async run({ options, output, signal, client }) {
    const token = process.env.OVERTURE_OPERATOR_TOKEN?.trim();
    if (!token)
      throw new CommandError(
        'OVERTURE_OPERATOR_TOKEN is not set: costs needs the server’s operator token',
        EXIT.authentication,
        'authentication',
      );
    const query = new URLSearchParams();
    for (const name of ['from', 'to']) {
      const value = text(options, name);
      if (value !== undefined) query.set(name, value);
    }
    const url = operatorUrl(client().baseUrl, `/costs${query.size > 0 ? `?${query}` : ''}`);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if ((error as Error).name === 'TimeoutError') throw new TimeoutError(`No answer from ${url} within 60 s`, { cause: error });
      throw new ConnectionError(`Could not reach ${url}: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) throw await errorOf(response);
    const report = (await response.json()) as CostReport;
    const row = (model: string, line: CostFields) => [
      model,
      String(line.jobs),
      String(line.delivered),
      usd(line.revenue_usd),
      String(line.revenue_diem),
      usd(line.upstream_cost_usd),
      usd(line.margin_usd),
    ];
    const table = renderTable(
      ['MODEL', 'JOBS', 'DELIVERED', 'REVENUE (USD)', 'REVENUE (DIEM)', 'UPSTREAM (USD)', 'MARGIN (USD)'],
      [...report.data.map((line) => row(line.model, line)), row('TOTAL', report.total)],
      (line) => output.bold(line),
    );
    output.note(`Jobs that finished from ${report.from} to ${report.to}`);
    output.result(table, report);
    return EXIT.ok;
  },
});
