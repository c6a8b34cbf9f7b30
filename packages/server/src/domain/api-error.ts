/**
 * The one error class of the API. Every failure a client can see has a stable code here, which
 * fixes its HTTP status and its message; the body is `{"error": message, ...extra}` as the
 * contract describes. Anything thrown that is not an ApiError becomes a logged 500.
 */
export const ERROR_CATALOG = {
  authentication_failed: { status: 401, message: 'Authentication failed' },
  pro_only: { status: 401, message: 'This model is only available to Pro users' },
  admin_required: { status: 401, message: 'Admin API key required' },
  operator_required: { status: 401, message: 'Operator token required' },
  invalid_parameters: { status: 400, message: 'Invalid request parameters' },
  invalid_json: { status: 400, message: 'Invalid JSON request' },
  model_required: { status: 400, message: 'model is required' },
  speakable_text: { status: 400, message: 'Input must contain speakable text' },
  invalid_input: { status: 400, message: 'Invalid input' },
  insufficient_balance: {
    status: 402,
    message: 'Insufficient USD or Diem balance to complete request. Add funds or wait for the next epoch.',
  },
  consumption_limit: {
    status: 402,
    message: 'Insufficient USD or Diem balance to complete request. This API key has reached its consumption limit.',
  },
  /** A wallet sign-in (`SIGN-IN-WITH-X`) that does not verify; the body says why in `reason`. */
  sign_in_invalid: { status: 401, message: 'Authentication failed' },
  /** A wallet without enough balance, or a top-up without a valid payment: x402's 402 with options. */
  payment_required: { status: 402, message: 'Payment required' },
  model_not_found: { status: 404, message: 'Specified model not found' },
  media_not_found: { status: 404, message: 'Media could not be found. Request may be invalid, expired, or deleted.' },
  key_not_found: { status: 404, message: 'API key not found' },
  account_not_found: { status: 404, message: 'Account not found' },
  route_not_found: { status: 404, message: 'Not found' },
  payload_too_large: { status: 413, message: 'Request body is too large' },
  unsupported_media_type: { status: 415, message: 'Content-Type must be application/json' },
  idempotency_key_invalid: { status: 400, message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' },
  idempotency_in_flight: { status: 409, message: 'A request with this Idempotency-Key is still in progress' },
  idempotency_mismatch: { status: 422, message: 'This Idempotency-Key was already used with a different request' },
  content_policy: {
    status: 422,
    message: 'Your prompt violates the content policy. Please revise it and try again.',
  },
  rate_limited: { status: 429, message: 'Rate limit exceeded' },
  inference_failed: { status: 500, message: 'Inference processing failed' },
  capacity: { status: 503, message: 'The model is at capacity. Please try again later.' },
  facilitator_unavailable: { status: 503, message: 'The payment facilitator is unavailable. Please try again later.' },
  timeout: { status: 408, message: 'Request timed out' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** The JSON body of an error answer. */
export type ErrorBody = { error: string } & Record<string, unknown>;

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;

  /** `extra` fields are merged into the body (e.g. `details`, `issues`, `suggested_prompt`). */
  constructor(
    readonly code: ErrorCode,
    readonly extra: Record<string, unknown> = {},
    message?: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message ?? ERROR_CATALOG[code].message);
    this.status = ERROR_CATALOG[code].status;
  }

  /** The body sent to the client. */
  body(): ErrorBody {
    return { error: this.message, ...this.extra };
  }
}

/** Rebuild an ApiError from a status and body stored on a failed job. */
export function errorFromStored(status: number, body: ErrorBody): ApiError {
  const code = (Object.keys(ERROR_CATALOG) as ErrorCode[]).find((key) => ERROR_CATALOG[key].status === status) ?? 'inference_failed';
  const { error, ...extra } = body;
  return new ApiError(code, extra, error);
}
