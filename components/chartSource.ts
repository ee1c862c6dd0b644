// Where a Helm chart comes from: a pinned repo and version, or a local path (air-gapped clusters).

export interface ChartSource {
  repo?: string;
  version?: string;
  path?: string;
}

/** The chart, version and repository arguments of a Helm v4 Chart for a source. */
export function helmChartSource(source: ChartSource, chartName: string): { chart: string; version?: string; repositoryOpts?: { repo?: string } } {
  if (source.path) return { chart: source.path, version: undefined, repositoryOpts: undefined };
  return { chart: chartName, version: source.version, repositoryOpts: { repo: source.repo } };
}
