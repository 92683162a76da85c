"""The page `casefile serve` shows: the case's problems with their line and column, and one
frame per edition, side by side, reloaded (scroll position kept) when a new render is ready.
Plain HTML, CSS and JavaScript served by the preview itself under a strict Content-Security-Policy
(scripts and styles only from the server, no inline code)."""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>casefile preview</title>
<link rel="stylesheet" href="/preview.css">
<script src="/preview.js" defer></script>
</head>
<body>
<header>
<h1 id="case">casefile preview</h1>
<p id="status" role="status" aria-live="polite">Loading…</p>
</header>
<section id="problems" aria-labelledby="problems-title" hidden>
<h2 id="problems-title">Problems</h2>
<ul id="problem-list"></ul>
</section>
<main id="editions"></main>
</body>
</html>
"""

STYLE = """
:root { font-family: system-ui, sans-serif; color: #1a1a1a; }
body { margin: 0; display: flex; flex-direction: column; height: 100vh; }
header { display: flex; align-items: baseline; gap: 1rem; padding: .4rem 1rem; border-bottom: 1px solid #ccc; }
header h1 { font-size: 1rem; margin: 0; }
#status { margin: 0; font-size: .9rem; }
#status.good { color: #1d6b2f; }
#status.bad { color: #a4161a; font-weight: 600; }
#problems { max-height: 30vh; overflow: auto; padding: .2rem 1rem; border-bottom: 1px solid #ccc;
  background: #fff6f6; }
#problems h2 { font-size: .9rem; margin: .3rem 0; }
#problem-list { margin: 0; padding-left: 1.2rem; font: .85rem/1.4 ui-monospace, monospace; }
#problem-list .warning { color: #6b4e00; }
#problem-list .error { color: #a4161a; }
main { flex: 1; display: grid; grid-auto-flow: column; grid-auto-columns: 1fr; gap: 2px; min-height: 0;
  background: #ccc; }
figure { margin: 0; display: flex; flex-direction: column; min-height: 0; background: #fff; }
figcaption { font-size: .8rem; padding: .2rem .6rem; background: #f2f2f2; }
iframe { flex: 1; width: 100%; border: 0; }
"""

SCRIPT = """'use strict';
// casefile serve: show the state of the case, and reload an edition's frame when it was rendered again.
const frames = {};

function frameFor(edition, label) {
  if (frames[edition]) return frames[edition];
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  caption.textContent = label || (edition === 'internal' ? 'Internal edition'
    : edition === 'public' ? 'Public edition' : 'Edition for ' + edition);
  const frame = document.createElement('iframe');
  frame.title = caption.textContent;
  frame.dataset.edition = edition;
  figure.append(caption, frame);
  document.getElementById('editions').append(figure);
  frames[edition] = frame;
  return frame;
}

function reload(frame, edition, version) {
  const win = frame.contentWindow;
  const x = win ? win.scrollX : 0;
  const y = win ? win.scrollY : 0;
  frame.addEventListener('load', () => {
    frame.contentWindow.scrollTo(x, y);
    frame.dataset.version = String(version);
  }, { once: true });
  frame.src = '/edition/' + encodeURIComponent(edition) + '?v=' + version;
}

function showProblems(state) {
  const list = document.getElementById('problem-list');
  list.replaceChildren();
  for (const problem of state.problems) {
    const item = document.createElement('li');
    item.className = problem.severity;
    item.textContent = problem.text;
    list.append(item);
  }
  for (const [edition, why] of Object.entries(state.failed)) {
    const item = document.createElement('li');
    item.className = 'error';
    item.textContent = edition + ': ' + why;
    list.append(item);
  }
  document.getElementById('problems').hidden = list.children.length === 0;
}

async function update() {
  const state = await (await fetch('/state', { cache: 'no-store' })).json();
  document.getElementById('case').textContent = 'casefile preview: ' + state.case;
  const errors = state.problems.filter((p) => p.severity === 'error').length;
  const status = document.getElementById('status');
  status.textContent = errors ? errors + ' error(s): the editions show the last valid version'
    : 'valid, rendered in ' + state.render_ms + ' ms';
  status.className = errors ? 'bad' : 'good';
  showProblems(state);
  for (const edition of state.editions) {
    const frame = frameFor(edition, state.labels[edition]);
    const version = state.page_versions[edition];
    if (version !== undefined && frame.dataset.requested !== String(version)) {
      frame.dataset.requested = String(version);
      reload(frame, edition, version);
    }
  }
  document.body.dataset.version = String(state.version);
}

new EventSource('/events').onmessage = () => { update(); };
"""
