// The console's sections as data. An item with roles is shown only to those
// roles; without roles, everyone sees it. Roles arrive in a later issue: today
// every signed-in user is "admin".

export type Role = 'admin' | 'marketer' | 'analyst' | 'agent'

export interface NavItem {
  /** The route (and link) of the section. */
  path: string
  label: string
  /** Who may see the section; absent = everyone. */
  roles?: Role[]
  /** A view that is not built yet shows this "coming next" text. */
  comingNext?: string
}

export const NAV: NavItem[] = [
  { path: '/', label: 'Overview' },
  { path: '/profiles', label: 'Profiles' },
  { path: '/sources', label: 'Sources', roles: ['admin'] },
  { path: '/segments', label: 'Segments' },
  { path: '/journeys', label: 'Journeys' },
  { path: '/templates', label: 'Templates' },
  { path: '/measurement', label: 'Measurement', roles: ['admin', 'analyst'] },
  { path: '/journey-map', label: 'Journey map', roles: ['admin', 'marketer', 'analyst'] },
  { path: '/service', label: 'Service desk', roles: ['admin', 'agent'] },
]

export function canSee(item: NavItem, role: Role): boolean {
  return !item.roles || item.roles.includes(role)
}

export function visibleNav(role: Role, items: NavItem[] = NAV): NavItem[] {
  return items.filter((i) => canSee(i, role))
}
