/** Entry: builds the live model, renders the page, starts the stream. */
import { render } from 'preact';
import { App } from './App';
import { createDashboard, DashboardContext } from './live/dashboard';
import { loadAccess } from './live/access';
import './styles.css';

const dashboard = createDashboard();
const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(
    <DashboardContext.Provider value={dashboard}>
      <App />
    </DashboardContext.Provider>,
    root,
  );
  dashboard.start();
  loadAccess();
}
