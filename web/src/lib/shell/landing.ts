import type { OrgRole } from '@tandem/domain';

/**
 * Where someone lands after signing in: where they were heading, except that leadership (org
 * viewers) start on the portfolio rather than the program list.
 */
export function landingFor(next: string, orgRole: OrgRole): string {
  return next === '/' && orgRole === 'viewer' ? '/portfolio' : next;
}
