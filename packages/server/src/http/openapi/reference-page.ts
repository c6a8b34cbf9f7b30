import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One file the reference page loads, read once at start. */
export interface ReferenceAsset {
  readonly body: Buffer;
  readonly type: string;
}

/** The interactive API reference: its page, the page's CSP, and its assets by file name. */
export interface ReferencePage {
  readonly html: string;
  readonly policy: string;
  readonly assets: ReadonlyMap<string, ReferenceAsset>;
}

/** Where `/docs/assets/<file>` is served from. */
export const REFERENCE_ASSET_PREFIX = '/docs/assets/';

// Swagger UI against this server's own document; try-it-out calls go to the same origin (servers: '/').
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    validatorUrl: null,
    displayOperationId: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    withCredentials: false,
  });
});
`;
const STYLE = 'body{margin:0}';

/**
 * The page: Swagger UI's bundle and stylesheet from the `swagger-ui-dist` package (no CDN), and a
 * small initializer of ours. The policy lets it load only those, fetch only this server, show
 * the `data:` images of the stylesheet, and nothing else (the one inline style by its hash).
 */
export function buildReferencePage(): ReferencePage {
  const directory = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const assets = new Map<string, ReferenceAsset>([
    ['swagger-ui.css', { body: readFileSync(join(directory, 'swagger-ui.css')), type: 'text/css; charset=utf-8' }],
    ['swagger-ui-bundle.js', { body: readFileSync(join(directory, 'swagger-ui-bundle.js')), type: 'text/javascript; charset=utf-8' }],
    ['favicon-32x32.png', { body: readFileSync(join(directory, 'favicon-32x32.png')), type: 'image/png' }],
    ['reference.js', { body: Buffer.from(INITIALIZER), type: 'text/javascript; charset=utf-8' }],
  ]);
  // The URLs name the contents, so the assets may be cached for good (see operations-routes.ts).
  const version = createHash('sha256')
    .update(Buffer.concat([...assets.values()].map((entry) => entry.body)))
    .digest('hex')
    .slice(0, 12);
  const asset = (name: string) => `${REFERENCE_ASSET_PREFIX}${name}?v=${version}`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Overture API reference</title>
<link rel="icon" type="image/png" href="${asset('favicon-32x32.png')}">
<link rel="stylesheet" href="${asset('swagger-ui.css')}">
<style>${STYLE}</style>
</head>
<body>
<div id="reference"></div>
<script src="${asset('swagger-ui-bundle.js')}"></script>
<script src="${asset('reference.js')}"></script>
</body>
</html>
`;
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'sha256-${styleHash}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, policy, assets };
}
