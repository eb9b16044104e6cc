/**
 * The HTML a person sees during the simulated authorize dance: login, one-time code, the fake
 * identity provider, consent and errors. Plain forms, so a browser test can click through them.
 */

export interface LoginUser {
  id: string;
  email: string;
  name: string;
  role: string;
  /** `otp`: a second step asks for a one-time code. `sso`: signs in through the identity provider. */
  signIn: 'password' | 'otp' | 'sso';
  otpCode: string | null;
}

export interface PageBrand {
  name: string;
  accent: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(brand: PageBrand, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${escapeHtml(brand.name)} (simulated)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
header{border-bottom:4px solid ${brand.accent};margin-bottom:1rem}
.sim{background:#fff3cd;border:1px solid #e0c36c;padding:.4rem .6rem;font-size:.85rem}
button{font:inherit;padding:.45rem .9rem;margin:.2rem 0;cursor:pointer}
.users button{display:block;width:100%;text-align:left}
.error{color:#a40e26;font-weight:600}
</style></head>
<body><header><h1>${escapeHtml(brand.name)}</h1></header>
<p class="sim">Simulated ${escapeHtml(brand.name)} for local development and tests. No real account is used.</p>
${body}
</body></html>`;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

export function loginPage(brand: PageBrand, action: string, ssoUrl: string, tx: string, users: LoginUser[], error?: string): string {
  const buttons = users
    .map(
      (u) =>
        `<button type="submit" name="user" value="${escapeHtml(u.id)}">Continue as ${escapeHtml(u.name)} (${escapeHtml(u.email)}, ${escapeHtml(u.role)})</button>`,
    )
    .join('\n');
  return layout(
    brand,
    'Log in',
    `<h2>Log in to continue</h2>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}" class="users">${hidden('tx', tx)}
${buttons}
</form>
<form method="post" action="${escapeHtml(action)}">${hidden('tx', tx)}
<label>Email <input type="email" name="email" autocomplete="username"></label>
<button type="submit">Log in</button>
</form>
<p><a href="${escapeHtml(ssoUrl)}">Sign in with SSO</a></p>`,
  );
}

export function otpPage(brand: PageBrand, action: string, tx: string, user: LoginUser, error?: string): string {
  return layout(
    brand,
    'Two-step verification',
    `<h2>Two-step verification</h2>
<p>Enter the 6-digit code from the authenticator app of ${escapeHtml(user.name)}.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">${hidden('tx', tx)}
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required></label>
<button type="submit">Verify</button>
</form>`,
  );
}

export function identityProviderPage(action: string, tx: string, users: LoginUser[]): string {
  const buttons = users
    .map((u) => `<button type="submit" name="user" value="${escapeHtml(u.id)}">Sign in as ${escapeHtml(u.email)}</button>`)
    .join('\n');
  return layout(
    { name: 'Example Identity Provider', accent: '#5b3cc4' },
    'Single sign-on',
    `<h2>Single sign-on</h2>
<p>Your organization signs you in here.</p>
<form method="post" action="${escapeHtml(action)}" class="users">${hidden('tx', tx)}
${buttons || '<p>No account of this organization uses single sign-on.</p>'}
</form>`,
  );
}

export function consentPage(
  brand: PageBrand,
  action: string,
  tx: string,
  clientName: string,
  user: LoginUser,
  scopes: Array<{ scope: string; description: string }>,
): string {
  const items = scopes
    .map((s) => `<li><code>${escapeHtml(s.scope)}</code>: ${escapeHtml(s.description)}</li>`)
    .join('\n');
  return layout(
    brand,
    'Authorize application',
    `<h2>Authorize ${escapeHtml(clientName)}</h2>
<p>Signed in as ${escapeHtml(user.name)} (${escapeHtml(user.email)}).</p>
<p>${escapeHtml(clientName)} asks for these permissions:</p>
<ul class="scopes">${items}</ul>
<form method="post" action="${escapeHtml(action)}">${hidden('tx', tx)}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function errorPage(brand: PageBrand, title: string, message: string): string {
  return layout(brand, title, `<h2>${escapeHtml(title)}</h2><p class="error" role="alert">${escapeHtml(message)}</p>`);
}
