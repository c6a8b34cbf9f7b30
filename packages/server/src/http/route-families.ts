/** Route families share a rate limit per key. */
export type RouteFamily = 'queue' | 'retrieve' | 'other';

/** Which family a route belongs to (queue and speech spend money; retrieve and complete poll). */
export function familyOf(url: string): RouteFamily {
  if (url.includes('/audio/queue') || url.includes('/audio/speech')) return 'queue';
  if (url.includes('/audio/retrieve') || url.includes('/audio/complete')) return 'retrieve';
  return 'other';
}
