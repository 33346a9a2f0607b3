import { Router, type Request, type Response } from 'express';
import type passport from 'passport';
import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions } from 'openid-client/passport';
import type { AppDeps } from '../app-deps';
import { nowIso } from '../db/db';
import { renderPage } from '../http/render';
import { sessionStartLimit } from '../http/security';
import { resolveIdentity, type IdentityClaims } from './entra.service';
import { safeReturnTo } from './guards';
import { signIn } from './passport';
import { recordSignIn } from './users.repo';

const STRATEGY = 'entra';
/** Where the strategy keeps code_verifier, state and nonce between the redirect and the callback. */
const SESSION_KEY = 'entra.oidc';

interface EntraOptions extends AuthenticateOptions {
  phase: 'start' | 'callback';
}

/**
 * openid-client's strategy sends `state` only when the provider lacks PKCE and `nonce` only for
 * implicit/hybrid flows; SECURITY.md decision 6 wants state, nonce and PKCE on every request, and the
 * strategy checks whatever it stored. Each route also says which phase it is, so a stray `code` on
 * /auth/entra never triggers a token exchange, and a callback without one never starts a new flow.
 */
class EntraStrategy extends Strategy {
  override authorizationRequestParams<T extends AuthenticateOptions>(req: Request, options: T): URLSearchParams {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    return params;
  }

  override shouldInitiateAuthRequest<T extends AuthenticateOptions>(_req: Request, _url: URL, options: T): boolean {
    return (options as unknown as EntraOptions).phase === 'start';
  }
}

const UNREACHABLE = 'The identity provider is not reachable; try again later.';
const FAILED = 'Sign-in with Microsoft did not complete. Please try again.';

/** Plain http is allowed only for a provider on this machine (the tests' local provider). */
function isLocalHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Safe-to-log description of a failure: error codes only, never tokens, claims or emails. */
function failureDetail(err: unknown, info: unknown): Record<string, unknown> {
  if (err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError) {
    return { code: err.code, error: err.error };
  }
  if (err instanceof client.ClientError) {
    // openid-client's own messages are generic; oauth4webapi's (the cause) name the failed check, without values.
    const cause = (err as { cause?: { message?: unknown } }).cause;
    const detail = typeof cause?.message === 'string' ? cause.message : err.message;
    return { code: err.code ?? 'client_error', detail: detail.slice(0, 200) };
  }
  if (err) return { code: (err as Error).name ?? 'error' };
  // A refusal (`fail`): no stored authorization request, or the provider's `error` (e.g. access_denied).
  // error_description comes from the query string, so only a well-formed error code is logged.
  const { error } = (info ?? {}) as { error?: unknown };
  return {
    code: 'rejected',
    error: typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? error : 'no_authorization_request',
  };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * A provider that could not be reached (as opposed to a response that failed validation). Walks the
 * cause chain by shape, not instanceof: fetch's errors may come from another realm (jest's vm, undici).
 */
function isNetworkError(err: unknown, depth = 0): boolean {
  const e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | null | undefined;
  if (!e || depth > 5) return false;
  if (e.code === 'OAUTH_TIMEOUT' || e.code === 'OAUTH_ABORT' || NETWORK_CODES.has(String(e.code))) return true;
  if (e.name === 'TypeError' && typeof e.message === 'string' && /fetch failed/i.test(e.message)) return true;
  return isNetworkError(e.cause, depth + 1);
}

/** OpenID Connect sign-in with Microsoft Entra ID (AUTH_MODE=entra): GET /auth/entra and its callback. */
export function entraRoutes(deps: AppDeps, passportInstance: passport.PassportStatic): Router {
  const { config, db } = deps;
  if (!config.entra)
    throw new Error('AUTH_MODE=entra needs ENTRA_ISSUER, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET and ENTRA_REDIRECT_URL');
  const entra = config.entra;
  const router = Router();

  // Discovery is network I/O, so it happens on the first sign-in rather than at start-up. A failure is
  // not cached: the next attempt tries again, and signed-in sessions never depend on it.
  let ready: Promise<void> | null = null;
  function ensureStrategy(): Promise<void> {
    ready ??= (async () => {
      const issuer = new URL(entra.issuer);
      const oidc = await client.discovery(issuer, entra.clientId, entra.clientSecret, undefined, {
        // Verify the ID token's signature against the provider's JWKS as well as its claims.
        execute: isLocalHttp(issuer)
          ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
          : [client.enableNonRepudiationChecks],
        timeout: 10,
      });
      passportInstance.use(
        STRATEGY,
        new EntraStrategy(
          {
            config: oidc,
            name: STRATEGY,
            sessionKey: SESSION_KEY,
            callbackURL: entra.redirectUrl,
            scope: 'openid profile email',
          },
          // The verified claims travel to the route handler, which resolves the user (entra.service.ts).
          (tokens, verified) => verified(null, { claims: tokens.claims() } as unknown as Express.User),
        ),
      );
    })().catch((err) => {
      ready = null;
      throw err;
    });
    return ready;
  }

  async function renderLogin(res: Response, status: number, error: string): Promise<void> {
    res.status(status).set('Cache-Control', 'no-store');
    renderPage(res, 'auth/login', { title: 'Sign in', users: [], returnTo: '/', authMode: 'entra', error });
  }

  async function providerReady(req: Request, res: Response): Promise<boolean> {
    try {
      await ensureStrategy();
      return true;
    } catch (err) {
      req.log.warn(
        { event: 'login.failed', mode: 'entra', reason: 'discovery_failed', ...failureDetail(err, null) },
        'identity provider not reachable',
      );
      await renderLogin(res, 503, UNREACHABLE);
      return false;
    }
  }

  router.get('/auth/entra', sessionStartLimit(db), async (req, res, next) => {
    const returnTo = safeReturnTo(req.query.returnTo);
    if (req.user) return res.redirect(303, returnTo === '/' ? '/tenants' : returnTo);
    if (!(await providerReady(req, res))) return;
    req.session.returnTo = returnTo;
    const options: EntraOptions = { phase: 'start', session: false };
    // On success the strategy answers with the 302 to the provider itself; the callback runs only on error.
    passportInstance.authenticate(STRATEGY, options, (err: unknown) => {
      req.log.warn(
        { event: 'login.failed', mode: 'entra', reason: 'authorization_request_failed', ...failureDetail(err, null) },
        'sign-in could not start',
      );
      renderLogin(res, isNetworkError(err) ? 503 : 500, isNetworkError(err) ? UNREACHABLE : FAILED).catch(next);
    })(req, res, next);
  });

  router.get('/auth/entra/callback', async (req, res) => {
    if (!(await providerReady(req, res))) return;
    const options: EntraOptions = { phase: 'callback', session: false };
    const result = await new Promise<{ err: unknown; user: unknown; info: unknown }>((resolve) => {
      passportInstance.authenticate(STRATEGY, options, (err: unknown, user: unknown, info: unknown) =>
        resolve({ err, user, info }),
      )(req, res, (err: unknown) => resolve({ err, user: null, info: null }));
    });
    const returnTo = safeReturnTo(req.session.returnTo);
    delete req.session.returnTo;

    const claims = (result.user as { claims?: IdentityClaims } | null)?.claims;
    if (result.err || !claims) {
      const network = isNetworkError(result.err);
      req.log.warn(
        {
          event: 'login.failed',
          mode: 'entra',
          reason: network ? 'provider_unreachable' : 'callback_rejected',
          ...failureDetail(result.err, result.info),
        },
        'sign-in refused',
      );
      await renderLogin(res, network ? 503 : 401, network ? UNREACHABLE : FAILED);
      return;
    }

    const resolution = await resolveIdentity(db, claims);
    if (!resolution.ok) {
      req.log.warn(
        { event: 'authz.denied', mode: 'entra', reason: resolution.reason, orgId: resolution.orgId, route: req.path },
        'sign-in refused',
      );
      res.status(403).set('Cache-Control', 'no-store');
      renderPage(res, 'auth/denied', { title: 'Access denied', message: resolution.message });
      return;
    }

    const { user, outcome } = resolution;
    await signIn(req, user);
    await recordSignIn(db, user.id, nowIso());
    req.log.info({ event: 'login.succeeded', mode: 'entra', outcome, userId: user.id, orgId: user.orgId }, 'signed in');
    res.redirect(303, returnTo === '/' ? '/tenants' : returnTo);
  });

  return router;
}
