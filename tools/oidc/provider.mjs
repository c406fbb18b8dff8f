// A real OpenID Connect provider for the sign-in tests (tests/test_sso.py): the
// certified `oidc-provider` package, with its development login form (any password),
// PKCE required, RP-initiated logout, and accounts read from a JSON file on every
// request, so that a test can disable a person at the provider while they are signed in.
//
//   PORT=... CLIENT_ID=... CLIENT_SECRET=... REDIRECT_URI=... POST_LOGOUT_REDIRECT_URI=...
//   ACCOUNTS_FILE=accounts.json node provider.mjs
//
// accounts.json: {"<login>": {"disabled": false, "claims": {"email": ..., "name": ...}}}
import { readFileSync } from 'node:fs';

import Provider, { interactionPolicy } from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const port = Number(env('PORT'));
const issuer = `http://127.0.0.1:${port}`;
const accounts = () => JSON.parse(readFileSync(env('ACCOUNTS_FILE'), 'utf8'));

// A session whose person has since been disabled asks for a new sign-in, as at Entra ID:
// a silent check (prompt=none) then answers login_required.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'account_disabled',
  'The account is disabled',
  (ctx) => (ctx.oidc.session.accountId && !ctx.oidc.account
    ? interactionPolicy.Check.REQUEST_PROMPT
    : interactionPolicy.Check.NO_NEED_TO_PROMPT),
), 0);

const provider = new Provider(issuer, {
  interactions: { policy },
  clients: [{
    client_id: env('CLIENT_ID'),
    client_secret: env('CLIENT_SECRET'),
    redirect_uris: [env('REDIRECT_URI')],
    post_logout_redirect_uris: [env('POST_LOGOUT_REDIRECT_URI')],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  cookies: { keys: ['test-provider-cookie-key-not-a-secret'] },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account || account.disabled) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account.claims };
      },
    };
  },
  // The tracker is a first-party application: no consent screen, as at Entra ID once an
  // administrator has consented for the organisation.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.on('server_error', (ctx, error) => {
  console.error('server_error', error);
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
