import '@weft/canvas/define';
import './styles.css';
import './app/weft-app.js';
import { decisionSync } from './offline/decision-sync.js';

if ('serviceWorker' in navigator && location.protocol !== 'file:' && !location.pathname.startsWith('/embed/')) {
  window.addEventListener('load', () => {
    void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e: unknown) => {
      console.warn('Service worker not registered', e);
    });
  });
}
if (!location.pathname.startsWith('/embed/')) decisionSync.start();
