/** Defines Sala's elements (one import), points them at a Worker, and mounts the app. */
import { setDefaultApi } from '@sala/widgets';
import { createApp } from 'vue';
import { salaApi } from './api.js';
import App from './App.vue';

setDefaultApi(salaApi);

createApp(App).mount('#root');
