import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, ApiError, type Me } from '../api';
import type { Role } from '../../../rules/domain';

/** Who is signed in, kept for the life of the page. */
export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const loaded = ref(false);

  async function load(): Promise<void> {
    try {
      me.value = (await api.me()).user;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      me.value = null;
    } finally {
      loaded.value = true;
    }
  }

  async function signOut(): Promise<void> {
    await api.signOut();
    me.value = null;
  }

  const has = (...roles: Role[]) => computed(() => roles.some((r) => me.value?.roles.includes(r) ?? false));
  return { me, loaded, load, signOut, has };
});
