import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { i18n, currentLanguage } from './i18n';
// The U.S. Web Design System first (typography, grid, header, forms, alerts, tables, footer); then
// MOPD's own layer, which also dresses the views' older class names in USWDS's look.
import '@uswds/uswds/css/uswds.min.css';
import './styles.css';

document.documentElement.lang = currentLanguage();
createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
