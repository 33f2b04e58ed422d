/**
 * The deadline reminder email in each language: the hours still needed by which day, for which
 * requirement and employers, the suggested training with hours, date, place and link, the catalog
 * when nothing is suggested, the compliance link, and the optional-reminder footer with its link.
 */
import { describe, expect, it } from 'vitest';
import { hoursDeadlineReminder, type ReminderFacts } from '../../services/mail/reminderEmail.js';
import type { SuggestedTraining } from '../../services/trainingSuggestions.js';

const near: SuggestedTraining = {
  kind: 'event',
  id: 41,
  title: 'Guidance Basics',
  hours: 3,
  startsOn: '2026-12-17',
  city: 'Columbia',
  distanceMiles: 2.6,
  seatsLeft: 12,
  url: 'https://mopd.example/events/41',
};
const webinar: SuggestedTraining = {
  kind: 'event',
  id: 42,
  title: 'Live Webinar',
  hours: 1,
  startsOn: '2026-12-10',
  distanceMiles: null,
  seatsLeft: 3,
  url: 'https://mopd.example/events/42',
};
const course: SuggestedTraining = {
  kind: 'online-course',
  id: 7,
  title: 'Calm Classrooms Online',
  hours: 1.5,
  url: 'https://mopd.example/learn/7',
};

const facts: ReminderFacts = {
  name: 'Ana Díaz',
  requirementLabel: 'Licensing: 12 clock hours each calendar year',
  employers: ['Sunny Days Center', 'Little Oaks'],
  hoursNeeded: 4,
  periodEnd: '2026-12-31',
  daysLeft: 24,
  suggestions: [near, webinar, course],
  complianceUrl: 'https://mopd.example/professionals/9/compliance',
  unsubscribeUrl: 'https://mopd.example/unsubscribe?token=a&b=1',
};

describe('the deadline reminder email', () => {
  it('says in English how many hours are needed by which day, for what and where, and lists each suggestion with its hours and link', () => {
    const email = hoursDeadlineReminder('en', facts);
    expect(email.subject).toBe('Reminder: 4 clock hours still needed by Thursday, December 31, 2026');
    expect(email.text).toContain('Dear Ana Díaz,');
    expect(email.text).toContain(
      'You still need 4 clock hours by Thursday, December 31, 2026 (24 days left) to meet “Licensing: 12 clock hours each calendar year” for Sunny Days Center and Little Oaks.',
    );
    expect(email.text).toContain(
      '- Guidance Basics: 3 clock hours, starting Thursday, December 17, 2026, Columbia (about 3 miles away)\n  https://mopd.example/events/41',
    );
    expect(email.text).toContain(
      '- Live Webinar: 1 clock hour, starting Thursday, December 10, 2026, online\n  https://mopd.example/events/42',
    );
    expect(email.text).toContain(
      '- Calm Classrooms Online: 1.5 clock hours, online at your own pace\n  https://mopd.example/learn/7',
    );
    expect(email.text).toContain('See your training requirements: https://mopd.example/professionals/9/compliance');
    expect(email.text).toMatch(
      /These reminders are optional.*\nStop these reminders: https:\/\/mopd\.example\/unsubscribe\?token=a&b=1$/,
    );
    expect(email.text).not.toContain('catalog');
    expect(email.text).not.toMatch(/\{\w+\}/);
  });

  it('says the same in Spanish, with the language’s dates, plurals and lists', () => {
    const email = hoursDeadlineReminder('es', { ...facts, hoursNeeded: 1, daysLeft: 1 });
    expect(email.subject).toBe('Recordatorio: aún le falta 1 hora reloj para el jueves, 31 de diciembre de 2026');
    expect(email.text).toContain('Estimado/a Ana Díaz:');
    expect(email.text).toContain(
      'Aún le falta 1 hora reloj para el jueves, 31 de diciembre de 2026 (queda 1 día) para cumplir con «Licensing: 12 clock hours each calendar year» en Sunny Days Center y Little Oaks.',
    );
    expect(email.text).toContain(
      '- Guidance Basics: 3 horas reloj, a partir del jueves, 17 de diciembre de 2026, Columbia (a unas 3 millas)',
    );
    expect(email.text).toContain(
      '- Live Webinar: 1 hora reloj, a partir del jueves, 10 de diciembre de 2026, en línea',
    );
    expect(email.text).toContain('- Calm Classrooms Online: 1.5 horas reloj, en línea a su propio ritmo');
    expect(email.text).toContain('Estos recordatorios son opcionales');
    expect(email.text).toContain('Dejar de recibir estos recordatorios: https://mopd.example/unsubscribe?token=a&b=1');
    expect(email.html).toContain('Ver sus requisitos de capacitación');
    expect(email.text).not.toMatch(/\{\w+\}/);
  });

  it('says the same words in HTML, each suggestion a linked list item', () => {
    const email = hoursDeadlineReminder('en', facts);
    expect(email.html).toContain(
      '<li><a href="https://mopd.example/events/41">Guidance Basics</a>: 3 clock hours, starting Thursday, December 17, 2026, Columbia (about 3 miles away)</li>',
    );
    expect(email.html).toContain('<a href="https://mopd.example/learn/7">Calm Classrooms Online</a>');
    expect(email.html).toContain('<a href="https://mopd.example/unsubscribe?token=a&amp;b=1">Stop these reminders</a>');
    expect(email.html).toContain(
      '<a href="https://mopd.example/professionals/9/compliance">See your training requirements</a>',
    );
    // Every sentence of the plain text is in the HTML too.
    const words = (s: string) =>
      s
        .replace(/<\/(p|li|ul)>|<ul>/g, ' ')
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/\s+/g, ' ');
    for (const line of email.text.split('\n').filter((l) => l && !l.trim().startsWith('https://')))
      expect(words(email.html)).toContain(line.replace(/^- /, '').split(': https://')[0]!.replace(/\s+/g, ' '));
  });

  it('escapes a hostile title and name in the HTML and keeps them as typed in the text', () => {
    const hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const email = hoursDeadlineReminder('en', {
      ...facts,
      name: hostile,
      employers: [hostile],
      suggestions: [{ ...near, title: hostile, city: hostile }],
    });
    expect(email.html).not.toMatch(/<script|<img/i);
    expect(email.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(email.text).toContain(`- ${hostile}: 3 clock hours`);
    expect(email.text).toContain(`for ${hostile}.`);
  });

  it('offers the catalog when nothing is suggested, in both languages', () => {
    const en = hoursDeadlineReminder('en', { ...facts, suggestions: [] });
    expect(en.text).toContain('We found no upcoming training with seats left that ends in time.');
    expect(en.text).toContain('Search the training catalog: https://mopd.example/catalog');
    expect(en.html).toContain('<a href="https://mopd.example/catalog">Search the training catalog</a>');
    expect(en.html).not.toContain('<ul>');
    expect(en.text).not.toContain('Training that would count');
    const es = hoursDeadlineReminder('es', {
      ...facts,
      suggestions: [],
      catalogUrl: 'https://mopd.example/catalog?zip=65203',
    });
    expect(es.text).toContain('No encontramos capacitación próxima');
    expect(es.text).toContain('Buscar en el catálogo de capacitación: https://mopd.example/catalog?zip=65203');
  });

  it('leaves out the employer clause when none is named', () => {
    const email = hoursDeadlineReminder('en', { ...facts, employers: [] });
    expect(email.text).toContain('to meet “Licensing: 12 clock hours each calendar year”.');
    expect(email.text).not.toContain(' for .');
  });
});
