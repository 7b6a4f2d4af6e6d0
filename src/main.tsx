import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './ui/Root.tsx';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element to mount the app into.');

createRoot(root).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
