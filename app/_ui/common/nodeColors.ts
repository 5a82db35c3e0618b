// One colour per node, the same on every chart and graph, readable on light and dark panels.
const palette = [
  '#2f6fde',
  '#d9480f',
  '#2b8a3e',
  '#ae3ec9',
  '#e8590c',
  '#1098ad',
  '#c2255c',
  '#5c940d',
  '#7048e8',
  '#b08900',
  '#0ca678',
  '#d6336c',
  '#4263eb',
  '#a61e4d',
  '#74b816',
  '#868e96',
];

/** The colour of the node at `index` in the list ordered by name. */
export function nodeColor(index: number): string {
  return palette[((index % palette.length) + palette.length) % palette.length];
}

/** Node id → colour, for a list of nodes (ordered by name so colours do not move around). */
export function nodeColorMap(nodes: ReadonlyArray<{ id: string; name: string }>): Map<string, string> {
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return new Map(sorted.map((n, i) => [n.id, nodeColor(i)]));
}
