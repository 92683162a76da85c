#!/usr/bin/env node
// Run axe-core on local HTML files in the system's headless Chromium (playwright-core drives
// /usr/bin/chromium; no browser is downloaded). Prints one JSON object on stdout:
//   {"axe": VERSION, "browser": VERSION,
//    "results": [{"file", "width", "violations": [{id, impact, help, nodes: [...]}]}]}
// Each file is checked at every viewport width of AXE_WIDTHS (CSS pixels, comma-separated;
// default "390,1280": a phone and a desktop), since a layout can fail at one width only (a
// table that scrolls on a phone must be reachable by keyboard).
// Usage: node tools/axe-check.js FILE.html...   (env CHROMIUM overrides /usr/bin/chromium)
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WIDTHS = (process.env.AXE_WIDTHS || '390,1280').split(',').map((w) => parseInt(w, 10));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

async function main(files) {
  if (!files.length) {
    console.error('usage: node tools/axe-check.js FILE.html...');
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'casefile-axe-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, offline: true,
    bypassCSP: true, // the documents' own CSP forbids scripts; axe is injected by the checker
  });
  try {
    // nothing but the file itself may load: the HTML edition is self-contained
    await context.route(/^(?!file:|data:|about:)/, (route) => route.abort());
    const results = [];
    for (const file of files) for (const width of WIDTHS) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary })),
        }));
      });
      results.push({ file, width, violations });
      await page.close();
    }
    const axeVersion = JSON.parse(fs.readFileSync(require.resolve('axe-core/package.json'))).version;
    process.stdout.write(JSON.stringify({ axe: axeVersion, browser: context.browser() ? context.browser().version() : null, results }) + '\n');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
