/** SVG path data for the few interface icons the shell draws (all 16×16, stroked). */
export const ICONS = {
  search: 'M7 12.5a5.5 5.5 0 1 0 0-11 5.5 5.5 0 0 0 0 11zM11 11l3.5 3.5',
  moon: 'M13.5 10A6 6 0 0 1 6 2.5a6 6 0 1 0 7.5 7.5z',
  sun: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1',
  settings:
    'M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM8 1.5l1.2 1.8 2.1-.5.5 2.1 1.8 1.2-1.1 1.9 1.1 1.9-1.8 1.2-.5 2.1-2.1-.5L8 14.5l-1.2-1.8-2.1.5-.5-2.1-1.8-1.2L3.5 8 2.4 6.1l1.8-1.2.5-2.1 2.1.5z',
  keyboard: 'M1.5 4h13v8h-13zM4 6.5h1M7 6.5h1M10 6.5h1M4 9.5h8',
} as const;
