/**
 * Asked when the API answers 401 (tokens are configured): the token is kept in sessionStorage, for this
 * tab only, so closing the tab forgets it and it never lands in the address bar or browser history.
 */
import { useState } from 'preact/hooks';
import { storeToken } from '../api/client';

/** The form; saving reloads the page so every panel fetches again with the token. */
export function TokenPrompt({ rejected }: { rejected: boolean }) {
  const [value, setValue] = useState('');
  const save = (event: Event) => {
    event.preventDefault();
    if (!value.trim()) return;
    storeToken(value.trim());
    window.location.reload();
  };
  return (
    <div class="banner banner-danger" role="alert" data-testid="token-prompt">
      <p class="banner-text">
        <strong>This orchestrator requires an API token.</strong> {rejected ? 'The token given was not accepted. ' : ''}It is kept for this tab only.
      </p>
      <form class="actor-form" onSubmit={save}>
        <label class="inline-field actor-field">
          <span>API token</span>
          <input name="token" type="password" autoComplete="off" value={value} onInput={(event) => setValue(event.currentTarget.value)} />
        </label>
        <button type="submit" class="button primary">
          Use token
        </button>
      </form>
    </div>
  );
}
