/** Defines Sala's elements (one import), points them at a Worker, and renders the app. */
import { setDefaultApi } from '@sala/widgets';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { salaApi } from './api.js';
import { App } from './App.js';

setDefaultApi(salaApi);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
