/**
 * Every language says everything English says: the UI's message files (ui/src/locales/<language>/
 * <feature>.json) and the emails' (services/mail/messages/<language>.json) have the same keys
 * in every language, no message is empty, and placeholders match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../rules/domain.js';
import { accountEmail, courseRequestEmail, registrationNotice } from '../../services/mail/templates.js';

type Tree = string | Tree[] | { [key: string]: Tree };

/** Every leaf as `path → text`; arrays count by index so a missing paragraph shows. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof tree === 'string') out.set(prefix, tree);
  else if (Array.isArray(tree)) tree.forEach((t, i) => leaves(t, `${prefix}[${i}]`).forEach((v, k) => out.set(k, v)));
  else
    for (const [key, t] of Object.entries(tree))
      leaves(t, prefix ? `${prefix}.${key}` : key).forEach((v, k) => out.set(k, v));
  return out;
}

/** vue-i18n's `{name}` and the email messages' `{name}` placeholders; `{'@'}`-style literals are not placeholders. */
const placeholders = (text: string) => [...text.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]).sort();

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Tree;

function compare(english: Tree, other: Tree) {
  const en = leaves(english);
  const them = leaves(other);
  const missing = [...en.keys()].filter((k) => !them.has(k));
  const extra = [...them.keys()].filter((k) => !en.has(k));
  const empty = [...them.entries(), ...en.entries()].filter(([, v]) => v.trim() === '').map(([k]) => k);
  const placeholderMismatch = [...en.keys()].filter(
    (k) => them.has(k) && placeholders(en.get(k)!).join() !== placeholders(them.get(k)!).join(),
  );
  return { missing, extra, empty, placeholderMismatch };
}

const uiRoot = join(import.meta.dirname, '../../ui/src/locales');
const uiFeatures = readdirSync(join(uiRoot, 'en')).filter((f) => f.endsWith('.json'));

describe('UI messages', () => {
  it('exist for every language MOPD offers, as folders of the same files', () => {
    expect(readdirSync(uiRoot).sort()).toEqual([...LANGUAGES].sort());
    for (const language of LANGUAGES)
      expect(
        readdirSync(join(uiRoot, language))
          .filter((f) => f.endsWith('.json'))
          .sort(),
      ).toEqual(uiFeatures.sort());
  });

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    for (const feature of uiFeatures) {
      it(`${language}/${feature} has every English key, no other, none empty, the same placeholders`, () => {
        expect(compare(read(join(uiRoot, 'en', feature)), read(join(uiRoot, language, feature)))).toEqual({
          missing: [],
          extra: [],
          empty: [],
          placeholderMismatch: [],
        });
      });
    }
  }
});

describe('email messages', () => {
  const mailRoot = join(import.meta.dirname, '../../services/mail/messages');
  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${language}.json has every English key, no other, none empty, the same placeholders`, () => {
      expect(compare(read(join(mailRoot, 'en.json')), read(join(mailRoot, `${language}.json`)))).toEqual({
        missing: [],
        extra: [],
        empty: [],
        placeholderMismatch: [],
      });
    });
  }

  it('writes a password reset in the recipient’s language, with every placeholder filled', () => {
    const en = accountEmail('en', 'password_reset', {
      name: 'Ana Díaz',
      url: 'https://mopd.example/reset-password?token=x',
    });
    const es = accountEmail('es', 'password_reset', {
      name: 'Ana Díaz',
      url: 'https://mopd.example/reset-password?token=x',
    });
    expect(en.subject).toBe('Reset your MOPD password');
    expect(es.subject).toBe('Restablezca su contraseña de MOPD');
    expect(es.text).toContain('Estimado/a Ana Díaz:');
    expect(es.text).toContain('Elegir una contraseña nueva: https://mopd.example/reset-password?token=x');
    expect(es.html).toContain('el sistema de Desarrollo Profesional de Missouri');
  });

  it('writes dates and plurals the language’s way', () => {
    const startsAt = new Date('2026-12-01T15:00:00Z');
    const es = registrationNotice('es', 'registered', {
      name: 'Ana',
      eventTitle: 'Sueño seguro',
      startsAt,
      where: null,
      eventUrl: 'https://mopd.example/catalog',
    });
    expect(es.text).toContain('martes, 1 de diciembre de 2026');
    expect(es.text).toContain('(en línea)');
    const en = registrationNotice('en', 'registered', {
      name: 'Ana',
      eventTitle: 'Safe sleep',
      startsAt,
      where: 'Columbia',
      eventUrl: 'https://mopd.example/catalog',
    });
    expect(en.text).toContain('Tuesday, December 1, 2026');
    const request = (language: 'en' | 'es', seats: number) =>
      courseRequestEmail(language, {
        trainerName: 'T',
        requesterName: 'R',
        region: 'Central',
        preferredMonth: null,
        seats,
        message: 'Hola',
        url: 'u',
      }).text;
    expect(request('en', 1)).toContain('for about 1 person');
    expect(request('en', 12)).toContain('for about 12 people');
    expect(request('es', 1)).toContain('para aproximadamente 1 persona. Escribió:');
    expect(request('es', 12)).toContain('para aproximadamente 12 personas');
    for (const text of [es.text, en.text, request('es', 3)]) expect(text).not.toMatch(/\{\w+\}/);
  });
});
