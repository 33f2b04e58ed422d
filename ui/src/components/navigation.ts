/**
 * The menu, grouped: what each person's roles can use, in groups a person recognizes ("My
 * learning", "Training", "Review", "Staff and reports", "Policy", "Administration"). The header
 * shows the groups as drop-downs; the home page lists the same links under the same group names.
 */
import { computed, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { useSession } from '../stores/session';
import type { Role } from '../../../rules/domain';

export interface NavItem {
  label: string;
  to: string;
  roles: readonly Role[] | 'any';
  external?: boolean;
}

export interface NavGroup {
  id: 'learning' | 'training' | 'review' | 'staff' | 'policy' | 'admin';
  label: string;
  items: NavItem[];
}

const STAFF_ROLES: readonly Role[] = ['director', 'inspector', 'reviewer', 'policy_staff', 'admin'];

export function useNavigation(): { groups: ComputedRef<NavGroup[]>; notifications: ComputedRef<NavItem | null> } {
  const session = useSession();
  const { t } = useI18n();
  const groups = computed<NavGroup[]>(() => {
    const me = session.me;
    if (!me || me.mfaEnrollmentRequired) return [];
    const own = (path: string) => (me.professionalId ? `/professionals/${me.professionalId}/${path}` : '/');
    const all: NavGroup[] = [
      {
        id: 'learning',
        label: t('home.nav.learning'),
        items: [
          { label: t('nav.myCompliance'), to: own('compliance'), roles: ['professional'] },
          { label: t('nav.myTraining'), to: own('transcript'), roles: ['professional'] },
          { label: t('nav.myProfile'), to: own('profile'), roles: ['professional'] },
          { label: t('nav.selfAssessment'), to: own('self-assessment'), roles: ['professional'] },
          { label: t('microCredentials.menu'), to: '/micro-credentials', roles: ['professional'] },
          { label: t('screens.registrations.menu'), to: '/my/registrations', roles: ['professional'] },
        ],
      },
      {
        id: 'training',
        label: t('home.nav.training'),
        items: [
          { label: t('nav.findTraining'), to: '/catalog', roles: 'any' },
          { label: t('nav.onlineCourses'), to: '/learn', roles: 'any' },
          { label: t('nav.applications'), to: '/cases', roles: 'any' },
          { label: t('nav.myEvents'), to: '/trainer/events', roles: ['trainer'] },
          { label: t('nav.myCourses'), to: '/trainer/courses', roles: ['trainer'] },
          { label: t('nav.courseRequests'), to: '/trainer/course-requests', roles: ['trainer'] },
        ],
      },
      {
        id: 'review',
        label: t('home.nav.review'),
        items: [
          { label: t('nav.reviewQueue'), to: '/review', roles: ['reviewer', 'admin'] },
          { label: t('cases.cards.title'), to: '/review/cpr-cards', roles: ['reviewer', 'admin'] },
        ],
      },
      {
        id: 'staff',
        label: t('home.nav.staff'),
        items: [
          { label: t('nav.professionals'), to: '/professionals', roles: STAFF_ROLES },
          { label: t('screens.staff.menu'), to: '/staff', roles: ['director', 'admin'] },
          { label: t('nav.staffReports'), to: '/reports/staff', roles: STAFF_ROLES },
          { label: t('nav.analytics'), to: '/analytics', roles: ['policy_staff', 'reviewer', 'admin'] },
        ],
      },
      {
        id: 'policy',
        label: t('home.nav.policy'),
        items: [{ label: t('nav.rules'), to: '/policy/rules', roles: ['policy_staff', 'admin'] }],
      },
      {
        id: 'admin',
        label: t('home.nav.admin'),
        items: [
          { label: t('nav.usersAndRoles'), to: '/admin/users', roles: ['admin'] },
          { label: t('screens.courses.menu'), to: '/admin/courses', roles: ['admin'] },
          { label: t('nav.import'), to: '/admin/import', roles: ['admin'] },
          { label: t('mail.nav'), to: '/admin/mail', roles: ['admin'] },
          { label: t('programs.organizationsNav'), to: '/admin/organizations', roles: ['admin'] },
          { label: t('programs.registryNav'), to: '/admin/program-types', roles: ['admin'] },
          { label: t('settings.nav'), to: '/admin/settings', roles: ['admin'] },
          { label: t('singleSignOn.admin.nav'), to: '/admin/single-sign-on', roles: ['admin'] },
        ],
      },
    ];
    const allowed = (item: NavItem) => item.roles === 'any' || item.roles.some((r) => me.roles.includes(r));
    return all.map((g) => ({ ...g, items: g.items.filter(allowed) })).filter((g) => g.items.length > 0);
  });
  const notifications = computed<NavItem | null>(() =>
    session.me && !session.me.mfaEnrollmentRequired
      ? { label: t('nav.notifications'), to: '/notifications', roles: 'any' }
      : null,
  );
  return { groups, notifications };
}
