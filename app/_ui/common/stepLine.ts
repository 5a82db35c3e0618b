// The SVG path of a step line through [time, value] points (each value holds until the next
// change), drawn by d3-shape; shared by the height chart and the sparklines.
import { curveStepAfter, line } from 'd3-shape';

export type Point = readonly [number, number];

/** A step line through `points`, placed by the scales `x` and `y`; '' for no points. */
export function stepLinePath(points: readonly Point[], x: (t: number) => number, y: (v: number) => number): string {
  return (
    line<Point>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]))
      .curve(curveStepAfter)
      .digits(1)(points) ?? ''
  );
}
