import { render } from 'preact';
import { App } from './App';
import { armSound } from './notify';

armSound();
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
