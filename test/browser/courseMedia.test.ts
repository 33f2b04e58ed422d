/**
 * Course media and the Content-Security-Policy (issue 19): the demo's course video and captions
 * are served by MOPD itself and play; a video from an origin the configuration does not name is
 * blocked by the browser, and one from a configured origin (MEDIA_ORIGINS) is allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { loadConfig } from '../../bin/config.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp({ mediaOrigins: ['https://media.example.org'] });
});
afterAll(async () => {
  await app?.close();
});

/** Plays a video in the page and answers what happened: its metadata loaded, or the policy blocked it. */
const tryVideo = (page: Page, src: string) =>
  page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const video = document.createElement('video');
        video.muted = true;
        document.addEventListener('securitypolicyviolation', (e) => {
          if (e.blockedURI.startsWith(new URL(url).origin)) resolve(`blocked by ${e.effectiveDirective}`);
        });
        video.addEventListener('loadedmetadata', () => resolve(`loaded ${Math.round(video.duration)} s`));
        video.addEventListener('error', () => setTimeout(() => resolve('error'), 500));
        video.src = url;
        document.body.append(video);
      }),
    src,
  );

describe('course media', () => {
  it('plays the demo video from MOPD itself and blocks an origin the configuration does not name', async () => {
    const page = await app.browser.newPage();
    try {
      await page.goto(`${app.baseUrl}/sign-in`);
      const csp = (await page.request.get(`${app.baseUrl}/sign-in`)).headers()['content-security-policy'] ?? '';
      expect(csp).toContain("media-src 'self' https://media.example.org");
      expect(await tryVideo(page, `${app.baseUrl}/demo-media/classroom.mp4`)).toBe('loaded 8 s');
      const captions = await page.request.get(`${app.baseUrl}/demo-media/classroom.en.vtt`);
      expect((await captions.text()).startsWith('WEBVTT')).toBe(true);
      expect(await tryVideo(page, 'https://elsewhere.example.net/clip.mp4')).toBe('blocked by media-src');
    } finally {
      await page.close();
    }
  });

  it('refuses a media origin that is not an origin', () => {
    expect(() => loadConfig({ MEDIA_ORIGINS: 'https://media.example.org/videos' })).toThrow(/is not an origin/);
    expect(loadConfig({ MEDIA_ORIGINS: 'https://a.example.org, http://b.example.org:8080' }).MEDIA_ORIGINS).toEqual([
      'https://a.example.org',
      'http://b.example.org:8080',
    ]);
  });
});
