import { demoKit } from '../framework-kit.js';
import { mountReactDemo } from './app.js';

mountReactDemo(document.querySelector('#app')!, await demoKit());
