/** Defines Sala's elements (one import), points them at a Worker, and renders the app. */
import { setDefaultApi } from '@sala/widgets';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { salaApi } from './api.js';
import { App } from './App.js';

setDefaultApi(salaApi);
// Sala's events bubble out of the elements, so the page can listen once; they are typed on document and window.
document.addEventListener('sala-error', (event) => console.warn('[sala]', event.detail.code, event.detail.message));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
