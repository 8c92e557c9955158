// The landing page's one script: writes this Worker's own address into the lines to paste.
for (const slot of document.querySelectorAll('[data-worker-origin]')) slot.textContent = location.origin;
for (const note of document.querySelectorAll('[data-origin-note]')) note.hidden = true;
