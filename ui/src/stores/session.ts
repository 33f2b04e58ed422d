import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError, type Me } from '../api';
import type { Language, Role } from '../../../rules/domain';
import { currentLanguage, setLanguage } from '../i18n';

/** Who is signed in, kept for the life of the page. */
export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const loaded = ref(false);

  async function load(): Promise<void> {
    try {
      me.value = (await api.me()).user;
      // The language kept on the account wins once someone is signed in.
      if (me.value.language && me.value.language !== currentLanguage()) setLanguage(me.value.language);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      me.value = null;
    } finally {
      loaded.value = true;
    }
  }

  /** Ends the session; one that came from the identity provider ends there too (the browser goes to its sign-out). */
  async function signOut(): Promise<void> {
    const provider = await api.singleSignOn().catch(() => null);
    await api.signOut();
    me.value = null;
    if (provider?.endSessionUrl) window.location.assign(provider.endSessionUrl);
  }

  /** Keeps a signed-in person's language on their account (the UI has already switched). */
  async function rememberLanguage(language: Language): Promise<void> {
    if (!me.value || me.value.language === language) return;
    await api.setLanguage(language);
    me.value = { ...me.value, language };
  }

  const has = (...roles: Role[]) => computed(() => roles.some((r) => me.value?.roles.includes(r) ?? false));
  return { me, loaded, load, signOut, rememberLanguage, has };
});
