// Colours of the blocks at one height in the vote grid and the timeline: index 0 is the first
// block seen, usually the only one; a second colour means a second block competed.
const palette = ['#2b8a3e', '#d9480f', '#7048e8', '#1098ad', '#c2255c', '#b08900'];

export function blockColor(index: number): string {
  return palette[index % palette.length];
}
