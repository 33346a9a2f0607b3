/**
 * The Notes Editor's templates (V-74: Engagement Management and Technical Enablement only), with the
 * headings DOMAIN.md §2.13 suggests. Plain text: the editor inserts them as the body, replacing it after
 * a confirmation when the body is not empty.
 */
export const NOTE_TEMPLATES: readonly { category: string; name: string; body: string }[] = [
  {
    category: 'Engagement Management',
    name: 'Status update',
    body: 'Summary:\n\nServices in scope:\n\nProgress since last update:\n\nRisks / issues:\n\nNext steps:\n',
  },
  {
    category: 'Technical Enablement',
    name: 'Technical change',
    body: 'Service:\n\nEnvironment:\n\nChange / actions taken:\n\nOutcome:\n\nOpen items:\n\nNext steps:\n',
  },
];
