/** Defines Sala's elements (one import), points them at a Worker, and mounts the app. */
import { setDefaultApi } from '@sala/widgets';
import { mount } from 'svelte';
import { salaApi } from './api.js';
import App from './App.svelte';

setDefaultApi(salaApi);
// Sala's events bubble out of the elements, so the page can listen once; they are typed on document and window.
document.addEventListener('sala-error', (event) => console.warn('[sala]', event.detail.code, event.detail.message));

mount(App, { target: document.getElementById('root')! });
