import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './i18n';
import './app/global.css';
import { App } from './app/app';
import { reportError, startErrorReports } from './lib/error-reports';

startErrorReports();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root, {
  onUncaughtError: (error) => {
    console.error(error);
    reportError(error, 'react');
  },
  onCaughtError: (error) => {
    console.error(error);
    reportError(error, 'react-boundary');
  },
}).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
