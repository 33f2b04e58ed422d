/** Labels of a table's keys in the chosen language: roles, program types and special regions; others as the API names them. */
import { useI18n } from 'vue-i18n';
import type { PublishedCell } from '../../api';

const TRANSLATED = ['role', 'program_type', 'region'];

export function useAnalyticsLabels() {
  const { t, te, locale } = useI18n();
  const keyLabel = (dimension: string, key: string, label: string) =>
    TRANSLATED.includes(dimension) && te(`analytics.keys.${key}`) ? t(`analytics.keys.${key}`) : label;
  const number = (n: number) => n.toLocaleString(locale.value, { maximumFractionDigits: 2 });
  const cellText = (cell: PublishedCell, measure: string) => {
    if (cell.suppressed) return t('analytics.suppressed');
    if (measure === 'rate')
      return cell.of
        ? t('analytics.rate', {
            rate: Math.round((cell.value / cell.of) * 100),
            value: number(cell.value),
            of: number(cell.of),
          })
        : t('analytics.noRate');
    if (measure === 'hours') return t('analytics.hours', { hours: number(cell.value) });
    return number(cell.value);
  };
  return { t, keyLabel, cellText, number };
}

/** A colour-blind-safe palette (Okabe–Ito), repeated with transparency for long lists. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
export const colourOf = (i: number) => (i < PALETTE.length ? PALETTE[i]! : `${PALETTE[i % PALETTE.length]!}99`);
