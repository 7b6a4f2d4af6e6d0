import type { Preview } from '@storybook/react-vite';
import '../src/ui/app.css';

const preview: Preview = {
  parameters: { layout: 'padded' },
};

export default preview;
