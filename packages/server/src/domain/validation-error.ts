import { z } from 'zod';
import { ApiError } from './api-error.js';

/** One problem with a request, shaped like the contract's `issues` entries. */
export interface RequestIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly code?: string;
}

/** The contract's 400 body: `details` (a tree with `_errors` at each node) and the flat `issues`. */
export function invalidParameters(issues: readonly RequestIssue[]): ApiError {
  const zodIssues = issues.map((issue) => ({
    code: 'custom' as const,
    ...issue,
    path: [...issue.path],
    input: undefined,
  }));
  const error = new z.ZodError(zodIssues as z.core.$ZodIssue[]);
  return fromZodError(error);
}

/** Turn a zod failure into the contract's 400. */
export function fromZodError(error: z.ZodError): ApiError {
  const issues = error.issues.map(({ input: _input, ...rest }) => rest);
  return new ApiError('invalid_parameters', { details: z.formatError(error), issues });
}

/** Parse with a schema or throw the contract's 400. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}
