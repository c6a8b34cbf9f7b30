/** The files the page loads, in the build's output folder. */
export declare const PLAYGROUND_FILES: readonly string[];
/** The most the page may weigh, gzipped. */
export declare const BUDGET_BYTES: number;
/** Build the playground into `outDir` (default playground/dist); answers the gzipped size of what the page loads. */
export declare function buildPlayground(outDir?: string): Promise<{ gzippedBytes: number }>;
