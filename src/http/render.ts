import { isAscii } from 'node:buffer';
import type { Request, Response } from 'express';
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

// A UTF-16 unit above U+00FF. V8 compiles a pattern for one-byte strings apart, and on one this class can
// match nothing: the test costs nothing on a page of one-byte text (about 0.1 µs for 75 KB).
const ABOVE_LATIN1 = /[\u0100-\uffff]/;

/**
 * Sends rendered HTML as UTF-8. A page is ASCII (src/http/one-byte.ts), and ASCII's UTF-8 bytes are its
 * Latin-1 bytes, which Buffer.from copies as they are stored instead of encoding them one by one
 * (Express's send encodes every string as UTF-8). The copy shows a character of U+0080–U+00FF (isAscii,
 * SIMD over the bytes); one above U+00FF would be cut to its low byte, which may look like ASCII, so a
 * page holding one is encoded as UTF-8 instead. For a list page of 75 KB: 15 µs against 75–100 for
 * measuring its UTF-8 length first (docs/decisions.md 144).
 */
export function sendHtml(res: Response, html: string): void {
  if (!res.get('Content-Type')) res.type('html');
  const bytes = ABOVE_LATIN1.test(html) ? null : Buffer.from(html, 'latin1');
  res.send(bytes && isAscii(bytes) ? bytes : Buffer.from(html, 'utf8'));
}

/** A view with the app's locals, the response's, then `locals` (src/http/views.ts). */
export function renderView(res: Response, view: string, locals: Record<string, unknown>): string {
  return renderTemplate(res.app, view, res.locals, locals);
}
