// Bar charts as SVG, drawn in Node by vega-lite -> vega (View.toSVG) with no browser
// and no network: the data is inline and the loader refuses every request.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Table } from './build.js';

/** A loader that fails any fetch, so rendering can never reach for a URL. */
function offlineLoader(): ReturnType<typeof vega.loader> {
  const loader = vega.loader();
  const refuse = (): Promise<never> => Promise.reject(new Error('the report renders offline: no data or font may be loaded'));
  loader.load = refuse;
  loader.sanitize = refuse;
  return loader;
}

/**
 * One horizontal bar per cell. A hidden cell ("<5", "x") gets no bar, only its label:
 * drawing it at any length would publish a number.
 */
export function barChartSpec(t: Table, axisTitle = 'reports'): TopLevelSpec {
  const values = t.cells.map((c) => ({ label: c.label, value: c.value ?? 0, text: c.shown }));
  return {
    width: 420,
    height: { step: 22 },
    background: 'white',
    data: { values },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 240 } },
      x: { field: 'value', type: 'quantitative', title: axisTitle, axis: { tickMinStep: 1, format: 'd' } },
    },
    layer: [
      { mark: { type: 'bar', color: '#3b6e8f' } },
      { mark: { type: 'text', align: 'left', dx: 4, color: '#222' }, encoding: { text: { field: 'text' } } },
    ],
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

export async function barChartSvg(t: Table, axisTitle?: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(barChartSpec(t, axisTitle)).spec), { renderer: 'none', loader: offlineLoader() });
  try {
    const svg = await view.toSVG();
    // An accessible name: screen readers announce the chart by its table title.
    return svg.replace('<svg ', `<svg role="img" aria-label="${escapeHtml(t.title)}" `);
  } finally {
    view.finalize();
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
