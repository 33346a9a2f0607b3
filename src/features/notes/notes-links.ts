import { queryHref } from '../../http/view-helpers';

/**
 * Links into the Notes Editor (GET /notes/new, DOMAIN.md §5.12.1) with its context filled in: the
 * Status tab's Create Notes (Engagement Management + tenant) and the service page's "Add new Technical
 * Enablement note" (+ the service). While the editor was missing every such link was shown disabled with
 * `unavailable` beside it; the switch stays so a deployment can turn the editor's links off again.
 */
export const NOTES_EDITOR_READY: boolean = true;

export interface EditorLink {
  /** The editor URL, or null while the editor is not available. */
  href: string | null;
  /** Why the link is disabled (shown next to it), or null. */
  unavailable: string | null;
}

export function notesEditorLink(tenantGuid: string, category: string, service?: string): EditorLink {
  if (!NOTES_EDITOR_READY) {
    return {
      href: null,
      unavailable: 'The Notes Editor is not available yet; it arrives with the Notes Library.',
    };
  }
  return { href: queryHref('/notes/new', { tenant: tenantGuid, category, service }), unavailable: null };
}
