import { formatDay } from '$lib/format';

/**
 * What the portfolio's two charts share (LayerChart `<Chart>` props): one band per program down
 * the side, time across, no tooltips or highlight, and an svg that is an image named by `summary`.
 * Spread it into `<Chart>` next to `data`, `x`, `xDomain` and `yDomain`.
 */
export function programTimeChart(summary: string) {
  return {
    y: 'program',
    valueAxis: 'x',
    bandPadding: 0.3,
    padding: { left: 52, right: 12, top: 4, bottom: 28 },
    rule: false,
    highlight: false,
    tooltipContext: false,
    grid: { class: 'lc-grid' },
    props: { svg: { role: 'img', 'aria-label': summary }, xAxis: { format: formatDay, tickSpacing: 70, tickOcclusion: true } },
  } as const;
}

/** The chart box's height: 40 px a program, and 40 for the axis. */
export const chartHeight = (programs: number) => `${programs * 40 + 40}px`;
