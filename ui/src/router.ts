import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { useSession } from './stores/session';
import { i18n } from './i18n';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/',
      name: 'home',
      component: () => import('./views/HomeView.vue'),
      meta: { title: 'titles.home', signedIn: true },
    },
    {
      path: '/sign-in',
      name: 'sign-in',
      component: () => import('./views/auth/SignInView.vue'),
      meta: { title: 'titles.signIn' },
    },
    {
      path: '/sign-up',
      name: 'sign-up',
      component: () => import('./views/auth/SignUpView.vue'),
      meta: { title: 'titles.getYourMopdId' },
    },
    {
      path: '/forgot-password',
      component: () => import('./views/auth/ForgotPasswordView.vue'),
      meta: { title: 'titles.resetYourPassword' },
    },
    {
      path: '/reset-password',
      component: () => import('./views/auth/TokenLinkView.vue'),
      props: { purpose: 'reset-password' },
      meta: { title: 'titles.chooseANewPassword' },
    },
    {
      path: '/verify-email',
      component: () => import('./views/auth/TokenLinkView.vue'),
      props: { purpose: 'verify-email' },
      meta: { title: 'titles.confirmYourEmail' },
    },
    {
      path: '/mfa-setup',
      name: 'mfa-setup',
      component: () => import('./views/auth/MfaSetupView.vue'),
      meta: { title: 'titles.twoStepSignIn', signedIn: true, duringMfaEnrollment: true },
    },
    {
      path: '/professionals',
      name: 'directory',
      component: () => import('./views/DirectoryView.vue'),
      meta: { title: 'titles.professionals', signedIn: true },
    },
    {
      path: '/professionals/:id/compliance',
      name: 'compliance',
      component: () => import('./views/professional/ComplianceView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.trainingCompliance', signedIn: true },
    },
    {
      path: '/professionals/:id/transcript',
      name: 'transcript',
      component: () => import('./views/professional/TranscriptView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.trainingTranscript', signedIn: true },
    },
    {
      path: '/professionals/:id/profile',
      name: 'profile',
      component: () => import('./views/professional/ProfileView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.profile', signedIn: true },
    },
    {
      path: '/professionals/:id/self-assessment',
      name: 'self-assessment',
      component: () => import('./views/professional/SelfAssessmentView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.selfAssessment', signedIn: true },
    },
    {
      path: '/micro-credentials',
      name: 'micro-credentials',
      component: () => import('./views/professional/MicroCredentialsView.vue'),
      meta: { title: 'microCredentials.titles.catalog', signedIn: true },
    },
    {
      path: '/unsubscribe/:token',
      name: 'unsubscribe',
      component: () => import('./views/public/UnsubscribeView.vue'),
      props: true,
      meta: { title: 'reminders.title' },
    },
    {
      path: '/verify/:code',
      name: 'verify-credential',
      component: () => import('./views/public/VerifyCredentialView.vue'),
      props: true,
      meta: { title: 'microCredentials.titles.verify' },
    },
    {
      path: '/catalog',
      name: 'catalog',
      component: () => import('./views/CatalogView.vue'),
      meta: { title: 'titles.findTraining' },
    },
    {
      path: '/catalog/cpr-trainers',
      name: 'cpr-trainers',
      component: () => import('./views/CprTrainersView.vue'),
      meta: { title: 'titles.cprFirstAidTrainers' },
    },
    {
      path: '/events/:id(\\d+)',
      name: 'event',
      component: () => import('./views/events/EventView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.event' },
    },
    {
      path: '/trainer/events',
      name: 'trainer-events',
      component: () => import('./views/events/TrainerEventsView.vue'),
      meta: { title: 'titles.myEvents', signedIn: true },
    },
    {
      path: '/trainer/events/:id(\\d+)/attendance',
      name: 'attendance',
      component: () => import('./views/events/AttendanceView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.attendance', signedIn: true },
    },
    {
      path: '/learn',
      name: 'online-courses',
      component: () => import('./views/learn/OnlineCoursesView.vue'),
      meta: { title: 'titles.onlineCourses' },
    },
    {
      path: '/learn/:id(\\d+)',
      name: 'online-course',
      component: () => import('./views/learn/OnlineCourseView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.onlineCourse' },
    },
    {
      path: '/trainer/courses',
      name: 'authored-courses',
      component: () => import('./views/learn/AuthoredCoursesView.vue'),
      meta: { title: 'titles.myCourses', signedIn: true },
    },
    {
      path: '/trainer/courses/:id(\\d+)/content',
      name: 'course-content',
      component: () => import('./views/learn/CourseContentView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.courseContent', signedIn: true },
    },
    {
      path: '/trainer/course-requests',
      name: 'course-requests',
      component: () => import('./views/trainer/CourseRequestsView.vue'),
      meta: { title: 'titles.courseRequests', signedIn: true },
    },
    {
      path: '/cases',
      name: 'my-cases',
      component: () => import('./views/cases/MyCasesView.vue'),
      meta: { title: 'titles.myApplicationsAndRequests', signedIn: true },
    },
    {
      path: '/cases/new/:slug',
      name: 'new-case',
      component: () => import('./views/cases/NewCaseView.vue'),
      props: true,
      meta: { title: 'titles.newApplication', signedIn: true },
    },
    {
      path: '/cases/:id(\\d+)',
      name: 'case',
      component: () => import('./views/cases/CaseView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'titles.case', signedIn: true },
    },
    {
      path: '/review',
      name: 'review-queue',
      component: () => import('./views/cases/QueueView.vue'),
      meta: { title: 'titles.reviewQueue', signedIn: true },
    },
    {
      path: '/review/cpr-cards',
      name: 'cpr-card-queue',
      component: () => import('./views/cases/CprCardQueueView.vue'),
      meta: { title: 'titles.cprCardQueue', signedIn: true },
    },
    {
      path: '/notifications',
      name: 'notifications',
      component: () => import('./views/NotificationsView.vue'),
      meta: { title: 'titles.notifications', signedIn: true },
    },
    {
      path: '/reports/staff',
      name: 'staff-report',
      component: () => import('./views/reports/StaffReportView.vue'),
      meta: { title: 'titles.staffTrainingReport', signedIn: true },
    },
    {
      path: '/staff',
      name: 'staff',
      component: () => import('./views/staff/StaffView.vue'),
      meta: { title: 'screens.staff.title', signedIn: true },
    },
    {
      path: '/admin/courses',
      name: 'admin-courses',
      component: () => import('./views/admin/CoursesView.vue'),
      meta: { title: 'screens.courses.title', signedIn: true },
    },
    {
      path: '/my/registrations',
      name: 'my-registrations',
      component: () => import('./views/professional/RegistrationsView.vue'),
      meta: { title: 'screens.registrations.title', signedIn: true },
    },
    {
      path: '/admin/import',
      name: 'admin-import',
      component: () => import('./views/admin/ImportView.vue'),
      meta: { title: 'titles.import', signedIn: true },
    },
    {
      path: '/admin/users',
      name: 'admin-users',
      component: () => import('./views/admin/UsersView.vue'),
      meta: { title: 'titles.usersAndRoles', signedIn: true },
    },
    {
      path: '/admin/organizations',
      name: 'admin-organizations',
      component: () => import('./views/admin/OrganizationsView.vue'),
      meta: { title: 'programs.organizationsTitle', signedIn: true },
    },
    {
      path: '/admin/program-types',
      name: 'admin-program-types',
      component: () => import('./views/admin/ProgramTypesView.vue'),
      meta: { title: 'programs.registryTitle', signedIn: true },
    },
    {
      path: '/admin/single-sign-on',
      name: 'admin-single-sign-on',
      component: () => import('./views/admin/SingleSignOnView.vue'),
      meta: { title: 'singleSignOn.admin.title', signedIn: true },
    },
    {
      path: '/admin/settings',
      name: 'admin-settings',
      component: () => import('./views/admin/SettingsView.vue'),
      meta: { title: 'settings.title', signedIn: true },
    },
    {
      path: '/admin/mail',
      name: 'admin-mail',
      component: () => import('./views/admin/MailView.vue'),
      meta: { title: 'mail.title', signedIn: true },
    },
    {
      path: '/analytics',
      name: 'analytics',
      component: () => import('./views/analytics/AnalyticsView.vue'),
      meta: { title: 'Workforce analytics', signedIn: true },
    },
    {
      path: '/policy/rules',
      name: 'rules',
      component: () => import('./views/policy/RuleSetView.vue'),
      meta: { title: 'titles.rules', signedIn: true },
    },
    {
      path: '/policy/rules/:version(\\d+)',
      name: 'rule-version',
      component: () => import('./views/policy/RuleVersionView.vue'),
      props: (route) => ({ version: Number(route.params.version) }),
      meta: { title: 'titles.rulesVersion', signedIn: true },
    },
    {
      path: '/policy/simulations/:id/people/:professionalId(\\d+)',
      name: 'simulated-person',
      component: () => import('./views/policy/SimulatedPersonView.vue'),
      props: (route) => ({ id: String(route.params.id), professionalId: Number(route.params.professionalId) }),
      meta: { title: 'titles.beforeAndAfterARuleChange', signedIn: true },
    },
    {
      path: '/:rest(.*)*',
      name: 'not-found',
      component: () => import('./views/NotFoundView.vue'),
      meta: { title: 'titles.pageNotFound' },
    },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  if (!session.loaded) await session.load();
  if (to.meta.signedIn && !session.me) return { name: 'sign-in', query: { next: to.fullPath } };
  if (session.me?.mfaEnrollmentRequired && !to.meta.duringMfaEnrollment && to.meta.signedIn)
    return { name: 'mfa-setup' };
  return true;
});

/**
 * The document title in the current language: `meta.title` is a message key (`titles.home`); a
 * title that is not a key is shown as written.
 */
export function documentTitle(to: RouteLocationNormalized): string {
  const title = String(to.meta.title ?? 'MOPD');
  return i18n.global.t('titles.suffix', { title: i18n.global.te(title) ? i18n.global.t(title) : title });
}

/**
 * Moves focus to the new page's heading so screen-reader and keyboard users know it changed. A page
 * that loads its data first shows its heading a moment later: wait for it (a few seconds at most),
 * unless the person has moved focus somewhere meanwhile. Without the wait, focus stayed on the
 * link that was followed, now gone, and the next Tab started again from the top of the page.
 */
function focusHeading() {
  requestAnimationFrame(() => {
    const heading = () => document.querySelector<HTMLElement>('main h1');
    const found = heading();
    if (found) return found.focus();
    const main = document.querySelector('main');
    if (!main) return;
    const focusedBefore = document.activeElement;
    const observer = new MutationObserver(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active !== focusedBefore) return observer.disconnect();
      const shown = heading();
      if (shown) {
        observer.disconnect();
        shown.focus();
      }
    });
    observer.observe(main, { childList: true, subtree: true });
    setTimeout(() => observer.disconnect(), 5_000);
  });
}

router.afterEach((to) => {
  focusHeading();
  document.title = documentTitle(to);
});
