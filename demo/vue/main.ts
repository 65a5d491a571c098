import { demoKit } from '../framework-kit.js';
import { mountVueDemo } from './app.js';

mountVueDemo(document.querySelector('#app')!, await demoKit());
