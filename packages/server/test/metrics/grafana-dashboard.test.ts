import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { startTestApp } from '../support/test-app.js';

const DASHBOARD = resolve(import.meta.dirname, '../../../../deploy/grafana-dashboard.json');

type Target = { expr: string; datasource: { uid: string } };
type Panel = { type: string; title: string; datasource?: { type: string; uid: string }; targets?: Target[] };

test("every metric the Grafana dashboard queries is in a real app's /metrics", async () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Panel[];
    templating: { list: { name: string; type: string }[] };
  };
  assert.ok(
    dashboard.templating.list.some((variable) => variable.name === 'datasource' && variable.type === 'datasource'),
    'a Prometheus datasource variable',
  );
  const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
  assert.ok(graphs.length >= 10);
  for (const panel of graphs) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
    assert.deepEqual(panel.datasource, { type: 'prometheus', uid: '${datasource}' }, panel.title);
    assert.ok(panel.targets && panel.targets.length > 0, panel.title);
  }
  const queried = new Set(
    graphs.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) => target.expr.match(/\b(?:overture|process|nodejs)_[a-z0-9_]+/g) ?? []),
    ),
  );

  const t = await startTestApp();
  try {
    const scrape = await t.request('GET', '/metrics', undefined, null);
    assert.equal(scrape.statusCode, 200);
    // Families are declared (`# TYPE name kind`) even before their first sample.
    const families = new Map([...scrape.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1] as string, match[2] as string]));
    const exists = (name: string) => {
      if (families.has(name)) return true;
      const histogram = /^(.*)_(bucket|sum|count)$/.exec(name);
      return histogram !== null && families.get(histogram[1] as string) === 'histogram';
    };
    const missing = [...queried].filter((name) => !exists(name));
    assert.deepEqual(missing, [], 'queried by the dashboard but not served');
    for (const name of ['overture_http_request_duration_seconds', 'overture_queue_jobs', 'nodejs_eventloop_lag_p99_seconds'])
      assert.ok(queried.has(name) || queried.has(`${name}_bucket`), `the dashboard graphs ${name}`);
  } finally {
    await t.close();
  }
});
