import zlib from 'node:zlib';
import type { Request, Response } from 'express';
import { asciiChunks, Held, utf8Bytes } from './page-bytes';
import { renderTemplate } from './views';

/**
 * "Fragment or page" is decided here and nowhere else (STYLE.md › htmx): an htmx request that is not
 * boosted and not a history restore gets the fragment; everything else gets the full page.
 */
export function isPartial(req: Request): boolean {
  return (
    req.get('HX-Request') === 'true' &&
    req.get('HX-Boosted') !== 'true' &&
    req.get('HX-History-Restore-Request') !== 'true'
  );
}

export interface RenderOptions {
  /** Full-page view (rendered inside layouts/main). */
  page: string;
  /** Fragment view for htmx requests; defaults to the page view. */
  fragment?: string;
  title: string;
  status?: number;
  locals?: Record<string, unknown>;
}

/** Renders the fragment for htmx or the page inside the layout otherwise; responses vary on HX-Request. */
export async function respond(req: Request, res: Response, opts: RenderOptions): Promise<void> {
  res.vary('HX-Request');
  res.status(opts.status ?? 200);
  const locals = { ...opts.locals, title: opts.title };
  if (isPartial(req) && opts.fragment) {
    sendHtml(res, renderView(res, opts.fragment, locals));
    return;
  }
  renderPage(res, opts.page, locals);
}

/** Renders a view inside the page shell. */
export function renderPage(res: Response, view: string, locals: Record<string, unknown>): void {
  const body = renderView(res, view, locals);
  sendHtml(res, renderView(res, 'layouts/main', { ...locals, body }));
}

// Per response: the pieces its templates hold apart from the page (holdApart).
const heldFor = new WeakMap<Response, Held>();

/**
 * A template's largest part (the Partner List's rows) kept out of the page string: returns the mark the
 * template writes in its place, and sendHtml copies the pieces into the response there
 * (src/http/page-bytes.ts).
 */
export function holdApart(res: Response, pieces: readonly string[]): string {
  let held = heldFor.get(res);
  if (!held) heldFor.set(res, (held = new Held()));
  return held.hold(pieces);
}

// A page of less than this goes as it is: gzip's header and the negotiation cost more than they save.
const GZIP_FROM = 1024;

/**
 * A page in one piece, gzipped here at zlib's fastest level when the client accepts gzip: at once, in
 * this thread, 15–60 µs for 8–42 KB, where the compression middleware's stream (its setup, the thread
 * pool and its callbacks) cost about 500 µs of CPU even for 8 KB (docs/decisions.md 150). The middleware
 * sees the Content-Encoding and leaves the body alone; it still compresses every other response, and a
 * page sent in several pieces.
 */
function gzipped(res: Response, body: Buffer): Buffer {
  if (body.length < GZIP_FROM || res.getHeader('Content-Encoding')) return body;
  res.vary('Accept-Encoding');
  if (!res.req.headers['accept-encoding'] || res.req.acceptsEncodings('gzip', 'identity') !== 'gzip') return body;
  res.setHeader('Content-Encoding', 'gzip');
  return zlib.gzipSync(body, { level: zlib.constants.Z_BEST_SPEED });
}

/**
 * Sends rendered HTML as UTF-8: a page's ASCII bytes as they are stored, in buffers of at most 64 KB
 * (asciiChunks), or the page encoded as UTF-8 when it is not ASCII. Several buffers go out under one
 * Content-Length, as res.send would send one; a page in one piece is gzipped here when the client asks.
 */
export function sendHtml(res: Response, html: string): void {
  if (!res.get('Content-Type')) res.type('html');
  const held = heldFor.get(res);
  heldFor.delete(res);
  const chunks = asciiChunks(html, held) ?? [utf8Bytes(html, held)];
  if (chunks.length === 1) {
    res.send(gzipped(res, chunks[0]));
    return;
  }
  res.setHeader(
    'Content-Length',
    chunks.reduce((sum, chunk) => sum + chunk.length, 0),
  );
  // For HEAD, Node's response keeps the length and drops what is written.
  for (let i = 0; i < chunks.length - 1; i++) res.write(chunks[i]);
  res.end(chunks[chunks.length - 1]);
}

/** A view with the app's locals, the response's, then `locals` (src/http/views.ts). */
export function renderView(res: Response, view: string, locals: Record<string, unknown>): string {
  return renderTemplate(res.app, view, res.locals, locals);
}
