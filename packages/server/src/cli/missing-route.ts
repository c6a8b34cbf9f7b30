import { NotFoundError, OvertureError, StatusStreamUnavailableError } from '@overture/sdk';

/** Whether a 404 means the server has no such route (not Overture), rather than no such job. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof NotFoundError && error.message === 'Not found';
}

/** Whether the server has no status stream (e.g. Venice), so that only polling `retrieve` can follow a job. */
export function isMissingStatusStream(error: unknown): boolean {
  if (error instanceof StatusStreamUnavailableError || isMissingRoute(error)) return true;
  return error instanceof OvertureError && (error.status === 405 || error.status === 406);
}
