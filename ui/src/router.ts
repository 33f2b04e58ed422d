import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './stores/session';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: 'Home', signedIn: true } },
    { path: '/sign-in', name: 'sign-in', component: () => import('./views/auth/SignInView.vue'), meta: { title: 'Sign in' } },
    { path: '/sign-up', name: 'sign-up', component: () => import('./views/auth/SignUpView.vue'), meta: { title: 'Get your MOPD ID' } },
    { path: '/forgot-password', component: () => import('./views/auth/ForgotPasswordView.vue'), meta: { title: 'Reset your password' } },
    { path: '/reset-password', component: () => import('./views/auth/TokenLinkView.vue'), props: { purpose: 'reset-password' }, meta: { title: 'Choose a new password' } },
    { path: '/verify-email', component: () => import('./views/auth/TokenLinkView.vue'), props: { purpose: 'verify-email' }, meta: { title: 'Confirm your email' } },
    { path: '/mfa-setup', name: 'mfa-setup', component: () => import('./views/auth/MfaSetupView.vue'), meta: { title: 'Two-step sign-in', signedIn: true, duringMfaEnrollment: true } },
    { path: '/professionals', name: 'directory', component: () => import('./views/DirectoryView.vue'), meta: { title: 'Professionals', signedIn: true } },
    {
      path: '/professionals/:id/compliance',
      name: 'compliance',
      component: () => import('./views/professional/ComplianceView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Training compliance', signedIn: true },
    },
    {
      path: '/professionals/:id/transcript',
      name: 'transcript',
      component: () => import('./views/professional/TranscriptView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Training transcript', signedIn: true },
    },
    {
      path: '/professionals/:id/profile',
      name: 'profile',
      component: () => import('./views/professional/ProfileView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Profile', signedIn: true },
    },
    {
      path: '/professionals/:id/self-assessment',
      name: 'self-assessment',
      component: () => import('./views/professional/SelfAssessmentView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Self-assessment', signedIn: true },
    },
    { path: '/catalog', name: 'catalog', component: () => import('./views/CatalogView.vue'), meta: { title: 'Find training' } },
    { path: '/catalog/cpr-trainers', name: 'cpr-trainers', component: () => import('./views/CprTrainersView.vue'), meta: { title: 'CPR/First Aid trainers' } },
    { path: '/events/:id(\\d+)', name: 'event', component: () => import('./views/events/EventView.vue'), props: (route) => ({ id: Number(route.params.id) }), meta: { title: 'Event' } },
    { path: '/trainer/events', name: 'trainer-events', component: () => import('./views/events/TrainerEventsView.vue'), meta: { title: 'My events', signedIn: true } },
    {
      path: '/trainer/events/:id(\\d+)/attendance',
      name: 'attendance',
      component: () => import('./views/events/AttendanceView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Attendance', signedIn: true },
    },
    { path: '/learn', name: 'online-courses', component: () => import('./views/learn/OnlineCoursesView.vue'), meta: { title: 'Online courses' } },
    { path: '/learn/:id(\\d+)', name: 'online-course', component: () => import('./views/learn/OnlineCourseView.vue'), props: (route) => ({ id: Number(route.params.id) }), meta: { title: 'Online course' } },
    { path: '/trainer/courses', name: 'authored-courses', component: () => import('./views/learn/AuthoredCoursesView.vue'), meta: { title: 'My courses', signedIn: true } },
    {
      path: '/trainer/courses/:id(\\d+)/content',
      name: 'course-content',
      component: () => import('./views/learn/CourseContentView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Course content', signedIn: true },
    },
    { path: '/trainer/course-requests', name: 'course-requests', component: () => import('./views/trainer/CourseRequestsView.vue'), meta: { title: 'Course requests', signedIn: true } },
    { path: '/cases', name: 'my-cases', component: () => import('./views/cases/MyCasesView.vue'), meta: { title: 'My applications and requests', signedIn: true } },
    { path: '/cases/new/:slug', name: 'new-case', component: () => import('./views/cases/NewCaseView.vue'), props: true, meta: { title: 'New application', signedIn: true } },
    { path: '/cases/:id(\\d+)', name: 'case', component: () => import('./views/cases/CaseView.vue'), props: (route) => ({ id: Number(route.params.id) }), meta: { title: 'Case', signedIn: true } },
    { path: '/review', name: 'review-queue', component: () => import('./views/cases/QueueView.vue'), meta: { title: 'Review queue', signedIn: true } },
    { path: '/notifications', name: 'notifications', component: () => import('./views/NotificationsView.vue'), meta: { title: 'Notifications', signedIn: true } },
    { path: '/reports/staff', name: 'staff-report', component: () => import('./views/reports/StaffReportView.vue'), meta: { title: 'Staff training report', signedIn: true } },
    { path: '/admin/import', name: 'admin-import', component: () => import('./views/admin/ImportView.vue'), meta: { title: 'Import', signedIn: true } },
    { path: '/admin/users', name: 'admin-users', component: () => import('./views/admin/UsersView.vue'), meta: { title: 'Users and roles', signedIn: true } },
    { path: '/policy/rules', name: 'rules', component: () => import('./views/policy/RuleSetView.vue'), meta: { title: 'Rules', signedIn: true } },
    {
      path: '/policy/rules/:version(\\d+)',
      name: 'rule-version',
      component: () => import('./views/policy/RuleVersionView.vue'),
      props: (route) => ({ version: Number(route.params.version) }),
      meta: { title: 'Rules version', signedIn: true },
    },
    {
      path: '/policy/simulations/:id/people/:professionalId(\\d+)',
      name: 'simulated-person',
      component: () => import('./views/policy/SimulatedPersonView.vue'),
      props: (route) => ({ id: String(route.params.id), professionalId: Number(route.params.professionalId) }),
      meta: { title: 'Before and after a rule change', signedIn: true },
    },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: 'Page not found' } },
  ],
});

router.beforeEach(async (to) => {
  const session = useSession();
  if (!session.loaded) await session.load();
  if (to.meta.signedIn && !session.me) return { name: 'sign-in', query: { next: to.fullPath } };
  if (session.me?.mfaEnrollmentRequired && !to.meta.duringMfaEnrollment && to.meta.signedIn) return { name: 'mfa-setup' };
  return true;
});

router.afterEach((to) => {
  // Move focus to the new page's heading so screen-reader and keyboard users know it changed.
  requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
  document.title = `${String(to.meta.title ?? 'MOPD')} — Missouri Professional Development`;
});
