import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { i18n, currentLanguage } from './i18n';
import './styles.css';

document.documentElement.lang = currentLanguage();
createApp(App).use(createPinia()).use(router).use(i18n).mount('#app');
