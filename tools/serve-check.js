#!/usr/bin/env node
// Drive `casefile serve` in the system's headless Chromium, as a user would: open the preview,
// save an edit of the case file, wait for the frame to show it; save an invalid file, wait for
// the problem (with its line and column) to be shown while the frame keeps the last valid text.
// Prints one JSON object: {"first_title", "reload_ms", "after_title", "problems", "kept_title"}.
// Usage: node tools/serve-check.js URL CASE_FILE NEW_TITLE BROKEN_TEXT_FILE
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

async function frameTitle(page) {
  const frame = page.frame({ url: /\/edition\/internal/ });
  if (!frame) return null;
  try { // the frame may be navigating to the new render
    return await frame.evaluate(() => {
      const title = document.querySelector('h1.cover-title');
      return title ? title.textContent.trim() : null;
    });
  } catch (error) {
    return null;
  }
}

async function waitFor(check, what, timeout = 20000) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeout) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main([url, caseFile, newTitle, brokenFile]) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'casefile-serve-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true,
    args: ARGS });
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const first = await waitFor(() => frameTitle(page), 'the first render');
    const original = fs.readFileSync(caseFile, 'utf8');
    const edited = original.replace(first, newTitle);
    if (edited === original) throw new Error('the title is not in the case file: ' + first);
    const saved = Date.now();
    fs.writeFileSync(caseFile, edited);
    const after = await waitFor(async () => ((await frameTitle(page)) === newTitle ? newTitle : null),
      'the reloaded frame');
    const reloadMs = Date.now() - saved;
    fs.writeFileSync(caseFile, fs.readFileSync(brokenFile, 'utf8'));
    const problems = await waitFor(async () => {
      const items = await page.$$eval('#problem-list li', (lis) => lis.map((li) => li.textContent));
      return items.length ? items : null;
    }, 'the problems');
    const status = await page.textContent('#status');
    const kept = await frameTitle(page);
    process.stdout.write(JSON.stringify({ first_title: first, reload_ms: reloadMs, after_title: after, problems,
      status, kept_title: kept }) + '\n');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error) => { console.error(error.stack || String(error)); process.exit(1); });
