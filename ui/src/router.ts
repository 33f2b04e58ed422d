import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'directory', component: () => import('./views/DirectoryView.vue') },
    {
      path: '/professionals/:id/compliance',
      name: 'compliance',
      component: () => import('./views/professional/ComplianceView.vue'),
      props: (route) => ({ id: Number(route.params.id) }),
    },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue') },
  ],
});

router.afterEach((to) => {
  // Move focus to the new page's heading so screen-reader and keyboard users know it changed.
  requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
  document.title = `${String(to.meta.title ?? 'MOPD')} — Missouri Professional Development`;
});
