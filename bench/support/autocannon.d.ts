/** The part of autocannon's API the bench uses (the package ships no types). */
declare module 'autocannon' {
  export interface RawRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  export interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    duration?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: { method?: string; path?: string; setupRequest?: (request: RawRequest) => RawRequest }[];
    /** Requests per second across all connections (a steady rate instead of as fast as possible). */
    overallRate?: number;
    /** Requests in all (shared out over the connections): the run ends once every answer is in, or at `duration`. */
    maxOverallRequests?: number;
    /** Milliseconds between samples; the end of a run is noticed at the next sample. */
    sampleInt?: number;
    /** Seconds a request may wait for its answer before the connection is dropped (default 10). */
    timeout?: number;
  }
  export interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }
  export interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
