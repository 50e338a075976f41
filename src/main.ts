import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from './ui/serviceWorker';
import './ui/theme.css';

mount(App, { target: document.getElementById('app')! });
if (import.meta.env.PROD) registerServiceWorker(import.meta.env.BASE_URL);
