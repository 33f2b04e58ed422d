/** Small wording helpers the home sections share: days left or overdue, hours. */
import { useI18n } from 'vue-i18n';

export function useHomeWords() {
  const { t } = useI18n();
  /** "3 days left", "due today", "2 days overdue". */
  const daysWord = (days: number | null) => {
    if (days === null) return '';
    if (days === 0) return t('home.dueToday');
    return days > 0 ? t('home.daysLeft', { n: days }, days) : t('home.daysOverdue', { n: -days }, -days);
  };
  const hoursWord = (hours: number) => t('home.hours', { n: hours }, hours);
  return { daysWord, hoursWord };
}
