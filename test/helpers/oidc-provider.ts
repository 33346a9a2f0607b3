import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/**
 * A small local OpenID provider for tests (STACK.md: "a small stub built on jose"): discovery, JWKS,
 * an auto-approving /authorize, /token with client-secret and PKCE S256 checks, and /userinfo.
 * The identity it hands out is whatever the test put in `claims`; `tamper` makes it misbehave
 * (wrong nonce, wrong audience, foreign or no signature) so the relying party's checks can be tested.
 */
export interface ProviderClaims {
  sub: string;
  tid?: string;
  oid?: string;
  preferred_username?: string;
  email?: string;
  upn?: string;
  name?: string;
  [claim: string]: unknown;
}

export interface Tamper {
  /** Put this nonce in the ID token instead of the one from the authorization request. */
  nonce?: string;
  /** Put this audience in the ID token instead of the client id. */
  aud?: string;
  /** Put this issuer in the ID token. */
  iss?: string;
  /** `foreign`: sign with a key not in the JWKS (same kid); `none`: an unsigned (alg none) token. */
  signature?: 'foreign' | 'none';
  /** Seconds added to exp (negative: an expired token). */
  expOffset?: number;
}

export interface StubProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The identity the next authorization hands out (copied when /authorize is called). */
  claims: ProviderClaims;
  tamper: Tamper;
  /** While true, discovery answers 503 (a provider outage that later ends). */
  discoveryDown: boolean;
  /** What /authorize last received (state, nonce, code_challenge, …). */
  lastAuthorize: URLSearchParams | null;
  /** Number of /token requests answered with tokens. */
  tokensIssued: number;
  /** Follows an /authorize URL (no browser) and returns the redirect back to the client. */
  authorize(url: string): Promise<URL>;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  claims: ProviderClaims;
  tamper: Tamper;
}

export async function startStubProvider(
  opts: { clientId?: string; clientSecret?: string } = {},
): Promise<StubProvider> {
  const clientId = opts.clientId ?? 'ftop-test-client';
  const clientSecret = opts.clientSecret ?? 'ftop-test-secret';
  const kid = 'stub-key-1';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, ProviderClaims>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'server_error', error_description: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider: StubProvider = {
    issuer,
    clientId,
    clientSecret,
    claims: { sub: 'subject-1' },
    tamper: {},
    discoveryDown: false,
    lastAuthorize: null,
    tokensIssued: 0,
    async authorize(url: string): Promise<URL> {
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
      return new URL(location);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve(); // closing twice is fine
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };

  function json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  function clientCredentials(
    req: http.IncomingMessage,
    form: URLSearchParams,
  ): { id: string | null; secret: string | null } {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':').map(decodeURIComponent);
      return { id, secret };
    }
    return { id: form.get('client_id'), secret: form.get('client_secret') };
  }

  async function idToken(pending: PendingCode): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const { tamper } = pending;
    const payload: Record<string, unknown> = {
      ...pending.claims,
      iss: tamper.iss ?? issuer,
      aud: tamper.aud ?? pending.clientId,
      iat: now,
      exp: now + 600 + (tamper.expOffset ?? 0),
    };
    const nonce = tamper.nonce ?? pending.nonce;
    if (nonce) payload.nonce = nonce;
    if (tamper.signature === 'none') {
      const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
    }
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(tamper.signature === 'foreign' ? foreign.privateKey : privateKey);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        if (provider.discoveryDown) return json(res, 503, { error: 'temporarily_unavailable' });
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid', 'profile', 'email'],
          claims_supported: ['sub', 'iss', 'aud', 'tid', 'oid', 'name', 'preferred_username', 'email', 'nonce'],
        });
      case 'GET /jwks':
        return json(res, 200, { keys: [publicJwk] });
      case 'GET /authorize': {
        provider.lastAuthorize = url.searchParams;
        const q = url.searchParams;
        const redirectUri = q.get('redirect_uri');
        if (q.get('client_id') !== clientId || !redirectUri || q.get('response_type') !== 'code') {
          return json(res, 400, { error: 'invalid_request' });
        }
        const code = crypto.randomBytes(24).toString('base64url');
        codes.set(code, {
          clientId,
          redirectUri,
          nonce: q.get('nonce'),
          codeChallenge: q.get('code_challenge'),
          codeChallengeMethod: q.get('code_challenge_method'),
          claims: structuredClone(provider.claims),
          tamper: { ...provider.tamper },
        });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        const state = q.get('state');
        if (state) back.searchParams.set('state', state);
        back.searchParams.set('iss', issuer);
        res.writeHead(302, { location: back.href });
        return void res.end();
      }
      case 'POST /token': {
        const form = await readForm(req);
        const creds = clientCredentials(req, form);
        if (creds.id !== clientId || creds.secret !== clientSecret) return json(res, 401, { error: 'invalid_client' });
        if (form.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
        const code = form.get('code') ?? '';
        const pending = codes.get(code);
        codes.delete(code); // one use only
        if (!pending || pending.redirectUri !== form.get('redirect_uri'))
          return json(res, 400, { error: 'invalid_grant' });
        if (pending.codeChallenge) {
          const verifier = form.get('code_verifier') ?? '';
          const expected = crypto.createHash('sha256').update(verifier).digest('base64url');
          if (pending.codeChallengeMethod !== 'S256' || expected !== pending.codeChallenge) {
            return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
          }
        }
        const accessToken = crypto.randomBytes(24).toString('base64url');
        accessTokens.set(accessToken, pending.claims);
        provider.tokensIssued += 1;
        return json(res, 200, {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: 600,
          scope: 'openid profile email',
          id_token: await idToken(pending),
        });
      }
      case 'GET /userinfo':
      case 'POST /userinfo': {
        const auth = req.headers.authorization ?? '';
        const claims = auth.startsWith('Bearer ') ? accessTokens.get(auth.slice(7)) : undefined;
        if (!claims) return json(res, 401, { error: 'invalid_token' });
        return json(res, 200, claims);
      }
      default:
        return json(res, 404, { error: 'not_found' });
    }
  }

  return provider;
}
