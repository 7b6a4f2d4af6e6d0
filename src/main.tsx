import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './sw/register.ts';
import { Root } from './ui/Root.tsx';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element to mount the app into.');

createRoot(root).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

// The offline copy (ADR 0026) is a production build's: the dev server and the tests never register
// it. It starts after the page's load, so precaching the whole site does not slow the first view.
if (import.meta.env.PROD) {
  if (document.readyState === 'complete') void registerServiceWorker();
  else addEventListener('load', () => void registerServiceWorker(), { once: true });
}
