/** Defines Sala's elements (one import), points them at a Worker, and mounts the app. */
import { setDefaultApi } from '@sala/widgets';
import { mount } from 'svelte';
import { salaApi } from './api.js';
import App from './App.svelte';

setDefaultApi(salaApi);

mount(App, { target: document.getElementById('root')! });
