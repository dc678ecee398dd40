/** Reading the collector's /metrics (Prometheus text) in tests and benchmarks. */

/** One sample's value by its full name and labels, e.g. `idic_http_errors_total` or `…_count{kind="minor"}`; NaN when absent. */
export function metricValues(text: string): (sample: string) => number {
  return (sample) => Number(text.split('\n').find((l) => l.startsWith(sample + ' '))?.slice(sample.length + 1));
}

/** Scrape `<url>/metrics` now. */
export async function scrapeMetrics(url: string): Promise<(sample: string) => number> {
  return metricValues(await (await fetch(`${url}/metrics`)).text());
}
