/** Fixed lists behind the demo data set (seeds/demo.ts): fictional customers, people and note texts. */

export interface DemoCustomer {
  customer: string;
  /** The tenant's initial domain label: `<slug>.onmicrosoft.com`. */
  slug: string;
  country: string;
  education?: boolean;
}

export const NORTHWIND_CUSTOMERS: DemoCustomer[] = [
  { customer: 'Adatum Corporation', slug: 'adatum', country: 'United States' },
  { customer: 'Contoso Pharmaceuticals', slug: 'contosopharma', country: 'United States' },
  { customer: 'Litware, Inc.', slug: 'litware', country: 'United States' },
  { customer: 'Proseware, Inc.', slug: 'proseware', country: 'Canada' },
  { customer: 'Tailspin Toys', slug: 'tailspintoys', country: 'United States' },
  { customer: 'Wingtip Toys', slug: 'wingtiptoys', country: 'United Kingdom' },
  { customer: 'Woodgrove Bank', slug: 'woodgrovebank', country: 'United States' },
  { customer: 'Alpine Ski House', slug: 'alpineskihouse', country: 'Switzerland' },
  { customer: 'Blue Yonder Airlines', slug: 'blueyonderairlines', country: 'United States' },
  { customer: 'City Power & Light', slug: 'citypowerlight', country: 'United States' },
  { customer: 'Coho Winery', slug: 'cohowinery', country: 'France' },
  { customer: 'Consolidated Messenger', slug: 'consolidatedmessenger', country: 'United Kingdom' },
  { customer: 'Fourth Coffee', slug: 'fourthcoffee', country: 'United States' },
  { customer: 'Graphic Design Institute', slug: 'graphicdesigninstitute', country: 'United States', education: true },
  { customer: 'Humongous Insurance', slug: 'humongousinsurance', country: 'Germany' },
  { customer: 'Lamna Healthcare Company', slug: 'lamnahealthcare', country: 'Netherlands' },
  { customer: 'Lucerne Publishing', slug: 'lucernepublishing', country: 'Switzerland' },
  { customer: "Margie's Travel", slug: 'margiestravel', country: 'Australia' },
  { customer: "Munson's Pickles and Preserves Farm", slug: 'munsonspickles', country: 'United States' },
  { customer: 'Nod Publishers', slug: 'nodpublishers', country: 'Canada' },
  { customer: 'School of Fine Art', slug: 'schooloffineart', country: 'United Kingdom', education: true },
  { customer: 'Southridge Video', slug: 'southridgevideo', country: 'United States' },
  { customer: 'Trey Research', slug: 'treyresearch', country: 'United States' },
  { customer: 'VanArsdel, Ltd.', slug: 'vanarsdel', country: 'Netherlands' },
  { customer: 'Wide World Importers', slug: 'wideworldimporters', country: 'United States' },
  { customer: 'Bellows College', slug: 'bellowscollege', country: 'United States', education: true },
  { customer: 'Best For You Organics Company', slug: 'bestforyouorganics', country: 'United States' },
  { customer: 'First Up Consultants', slug: 'firstupconsultants', country: 'United Kingdom' },
  { customer: 'Tailwind Traders', slug: 'tailwindtraders', country: 'United States' },
  { customer: 'Adventure Works Cycles', slug: 'adventureworks', country: 'Germany' },
  { customer: 'Baldwin Museum of Science', slug: 'baldwinmuseum', country: 'United States' },
  { customer: 'Contoso Suites', slug: 'contososuites', country: 'Spain' },
  { customer: 'Northbridge Logistics', slug: 'northbridgelogistics', country: 'Canada' },
  { customer: 'Harborview Medical Group', slug: 'harborviewmedical', country: 'United States' },
  { customer: 'Silverline Freight', slug: 'silverlinefreight', country: 'Brazil' },
  { customer: 'Cascade Utilities', slug: 'cascadeutilities', country: 'United States' },
  { customer: 'Redwood Analytics', slug: 'redwoodanalytics', country: 'United States' },
  { customer: 'Granite Peak Credit Union', slug: 'granitepeakcu', country: 'United States' },
  { customer: 'Meridian Hotels', slug: 'meridianhotels', country: 'Spain' },
  { customer: 'Oakridge School District', slug: 'oakridgesd', country: 'United States', education: true },
];

export const FABRIKAM_CUSTOMERS: DemoCustomer[] = [
  { customer: 'Lakeside University', slug: 'lakesideuniversity', country: 'United Kingdom', education: true },
  { customer: 'Summit Outdoor Gear', slug: 'summitoutdoor', country: 'United States' },
  { customer: 'Pinecrest Foods', slug: 'pinecrestfoods', country: 'Canada' },
  { customer: 'Ironwood Manufacturing', slug: 'ironwoodmfg', country: 'Germany' },
  { customer: 'Clearwater Energy', slug: 'clearwaterenergy', country: 'Norway' },
  { customer: 'Brightstar Media', slug: 'brightstarmedia', country: 'United States' },
  { customer: 'Evergreen Insurance', slug: 'evergreeninsurance', country: 'Ireland' },
  { customer: 'Keystone Engineering', slug: 'keystoneengineering', country: 'Germany' },
  { customer: 'Horizon Telecom', slug: 'horizontelecom', country: 'France' },
  { customer: 'Sunset Dairy Cooperative', slug: 'sunsetdairy', country: 'New Zealand' },
  { customer: 'Riverbend Health', slug: 'riverbendhealth', country: 'United States' },
  { customer: 'Copperfield Mining', slug: 'copperfieldmining', country: 'Australia' },
  { customer: 'Maplewood Retail', slug: 'maplewoodretail', country: 'Canada' },
  { customer: 'Starling Aerospace', slug: 'starlingaerospace', country: 'France' },
  { customer: 'Westbrook Legal', slug: 'westbrooklegal', country: 'United Kingdom' },
  { customer: 'Falcon Ridge Security', slug: 'falconridge', country: 'United States' },
  { customer: 'Greenfield Agritech', slug: 'greenfieldagritech', country: 'Netherlands' },
  { customer: 'Blue Harbor Seafood', slug: 'blueharborseafood', country: 'Japan' },
  { customer: 'Crescent City Transit', slug: 'crescentcitytransit', country: 'United States' },
  { customer: 'Highland Distilleries', slug: 'highlanddistilleries', country: 'United Kingdom' },
  { customer: 'Ashford Property Group', slug: 'ashfordproperty', country: 'Australia' },
  { customer: 'Lumen Optics', slug: 'lumenoptics', country: 'Japan' },
  { customer: 'Kingfisher Travel', slug: 'kingfishertravel', country: 'Germany' },
  { customer: 'Orchard Valley Farms', slug: 'orchardvalley', country: 'United States' },
  { customer: 'Bayside Dental Partners', slug: 'baysidedental', country: 'United States' },
  { customer: 'Stonegate Construction', slug: 'stonegate', country: 'Ireland' },
  { customer: 'Quarry Hill Materials', slug: 'quarryhill', country: 'United States' },
  { customer: 'Nimbus Cloud Services', slug: 'nimbuscloud', country: 'Sweden' },
  { customer: 'Velvet Road Fashion', slug: 'velvetroad', country: 'Italy' },
  { customer: 'Polaris Biotech', slug: 'polarisbiotech', country: 'Denmark' },
  { customer: 'Cobalt Steelworks', slug: 'cobaltsteel', country: 'Poland' },
  { customer: 'Tidewater Ports', slug: 'tidewaterports', country: 'United States' },
  { customer: 'Willowbrook Senior Living', slug: 'willowbrook', country: 'Canada' },
  { customer: 'Aurora Energy Partners', slug: 'auroraenergy', country: 'Finland' },
  { customer: 'Juniper Learning Trust', slug: 'juniperlearning', country: 'United Kingdom', education: true },
  { customer: 'Silver Birch Hotels', slug: 'silverbirchhotels', country: 'Sweden' },
  { customer: 'Marigold Cosmetics', slug: 'marigoldcosmetics', country: 'Brazil' },
  { customer: 'Seaview Fisheries', slug: 'seaviewfisheries', country: 'Norway' },
  { customer: 'Trailhead Outfitters', slug: 'trailheadoutfitters', country: 'United States' },
  { customer: 'Northwind Traders Korea', slug: 'nwtraderskr', country: 'Korea' },
];

/** The tenant both orgs work on (split delivery, DOMAIN.md §1.5). */
export const SPLIT_CUSTOMER: DemoCustomer = { customer: 'Relecloud', slug: 'relecloud', country: 'United States' };

export const FIRST_NAMES = [
  'Li',
  'Maria',
  'James',
  'Aisha',
  'Lukas',
  'Sofia',
  'Kenji',
  'Olivia',
  'Mateo',
  'Ingrid',
  'Rahul',
  'Chen',
  'Emma',
  'Tomás',
  'Hannah',
  'Yusuf',
  'Camille',
  'Noah',
  'Freya',
  'Diego',
  'Zara',
  'Pieter',
  'Mei',
  'Samuel',
];
export const LAST_NAMES = [
  'Wei',
  'Garcia',
  'Thompson',
  'Khan',
  'Becker',
  'Rossi',
  'Tanaka',
  'Brown',
  'Silva',
  'Larsen',
  'Patel',
  'Lin',
  'Wilson',
  'Fernández',
  'Schmidt',
  'Demir',
  'Martin',
  'Taylor',
  'Nilsen',
  'López',
  'Ahmed',
  'de Vries',
  'Zhang',
  'Okoro',
];
export const CUSTOMER_ROLES = [
  'IT Director',
  'Messaging Lead',
  'CIO',
  'Modern Workplace Lead',
  'Project Manager',
  'Security Architect',
];
export const MS_ROLES = ['Customer Success Account Manager', 'Account Executive', 'Technical Specialist'];

export const LANGUAGE_BY_COUNTRY: Record<string, string> = {
  Germany: 'German',
  France: 'French',
  Spain: 'Spanish',
  Italy: 'Italian',
  Netherlands: 'Dutch',
  Japan: 'Japanese',
  Brazil: 'Portuguese (Brazil)',
  Korea: 'Korean',
  Poland: 'Polish',
  Sweden: 'Swedish',
  Denmark: 'Danish',
  Norway: 'Norwegian',
  Finland: 'Finnish',
  Switzerland: 'German',
};

/** Status rows with the kind of note a delivery team writes for them (V-28). */
export const STATUS_TEMPLATES: { l1: string; l2: string | null; note: string }[] = [
  {
    l1: 'In Progress',
    l2: 'Technical Onboarding and Deployment',
    note: 'Deploying {service} to {n} users in waves; pilot group live.',
  },
  { l1: 'In Progress', l2: 'Migration', note: 'Migrating {n} users to {service}; batches scheduled every Friday.' },
  {
    l1: 'In Progress',
    l2: 'Solution or User Adoption',
    note: 'Adoption campaign for {service} running with the champions network.',
  },
  { l1: 'In Progress', l2: null, note: 'Customer is configuring {service} for the remaining {n} users.' },
  {
    l1: 'Blocked',
    l2: 'Customer IT Infrastructure and Remediation',
    note: 'Waiting for the network team to upgrade the proxies before {service} can roll out.',
  },
  {
    l1: 'Blocked',
    l2: 'Legal/Regulatory',
    note: 'Works council approval needed before {service} can be enabled for {n} users.',
  },
  {
    l1: 'Blocked',
    l2: 'Security/Privacy (Non-Product/Feature)',
    note: 'Security review of {service} pending with the CISO office.',
  },
  {
    l1: 'Blocked',
    l2: 'IT Change Management and Resourcing',
    note: 'Customer IT team has no capacity until the ERP upgrade is finished.',
  },
  {
    l1: 'Blocked',
    l2: 'App Compatibility',
    note: 'Line-of-business add-in is not compatible yet; vendor update expected.',
  },
  {
    l1: 'No Intent',
    l2: 'Using Competitive Solution',
    note: 'Customer will not deploy {service}; they prefer their current third-party tool.',
  },
  {
    l1: 'No Intent',
    l2: 'Using Microsoft On-Premises Solution',
    note: 'Customer plans to stay on the on-premises version for these {n} users.',
  },
  {
    l1: 'No Intent',
    l2: 'Executive Sponsorship',
    note: 'No executive sponsor for {service}; no plan to deploy this year.',
  },
  {
    l1: 'Status Unknown',
    l2: 'Customer Unresponsive',
    note: 'No response from the customer contact after three attempts.',
  },
  {
    l1: 'Status Unknown',
    l2: 'New Subscription or Workload',
    note: 'New licences for {service} purchased; not yet discussed with the customer.',
  },
  { l1: 'Duplicate/Invalid', l2: null, note: 'These {n} licences belong to a test tenant that will be retired.' },
];

export const NOTE_TEXTS: Record<string, string[]> = {
  'Engagement Management': [
    'Bi-weekly call with {customer}. Services in scope: {services}. Progress since last update: pilot completed, wave 1 scheduled. Risks: change freeze next month. Next steps: confirm wave 2 dates.',
    'Steering meeting held with the {customer} IT director. The project is on track; the customer asked for a revised adoption plan.',
    'Status update: {customer} paused the rollout while the budget for next quarter is approved. We will revisit in two weeks.',
    'Escalation: {customer} blocked on the proxy upgrade; the network team has no date yet. Raised with the account team.',
    'Kick-off held with {customer}; onboarding plan and milestones agreed, weekly stand-up set up.',
  ],
  'Technical Enablement': [
    'Hybrid configuration validated for {service}; DNS records updated and verified.',
    'Ran the readiness assessment for {service}: two findings on legacy authentication, remediation plan shared.',
    'Configured conditional access baseline for {service}; report-only mode for one week first.',
    'Helped the customer set up the pilot ring for {service}; 25 users enabled.',
  ],
  'Service Intent': [
    'Customer intends to roll {service} out to all office workers by the end of the quarter.',
    'Customer confirmed {service} is in scope for phase 2 after the migration completes.',
    'Customer plans to deploy {service} to 300 users in the first wave.',
  ],
  Environment: [
    'Environment: three on-premises Exchange 2016 servers, AD Connect in staging mode, 2 Gbps internet breakout per site.',
    'Customer runs a third-party proxy with TLS inspection; Microsoft 365 endpoints need to be bypassed.',
  ],
  'Service Status': ['Legacy service status: onboarding call completed, waiting for licence assignment.'],
  'Customer Readiness': [
    'Legacy readiness check: network assessment completed, bandwidth sufficient for the migration.',
  ],
  'Customer Satisfaction Issue': [
    'Customer unhappy with the delay of the migration window; apology sent and new plan agreed.',
  ],
  'System Message': ['Entitlements refreshed from the upstream feed: new licences added as Status Unknown.'],
};

export const NEXT_ACTIONS = [
  'Confirm the wave 2 date with the project manager',
  'Send the adoption kit to the champions',
  'Follow up on the proxy upgrade',
  'Review the migration batch report',
  'Schedule the security review',
];

export const ENTERPRISE_NOTES = [
  'Quarterly business review held; enterprise roadmap agreed.',
  'Global rollout paused for the merger integration.',
  'Merger integration finished; rollout resumed in all regions.',
];

/** Template texts suggested in DOMAIN.md §2.13 (EM and TE only, V-74). */
export const NOTE_TEMPLATES = [
  {
    category: 'Engagement Management',
    name: 'Status update',
    bodyHtml:
      '<p><b>Summary</b></p><p></p><p><b>Services in scope</b></p><p></p><p><b>Progress since last update</b></p><p></p><p><b>Risks/Issues</b></p><p></p><p><b>Next steps</b></p><p></p>',
  },
  {
    category: 'Technical Enablement',
    name: 'Technical session',
    bodyHtml:
      '<p><b>Service</b></p><p></p><p><b>Findings</b></p><p></p><p><b>Actions taken</b></p><p></p><p><b>Open items</b></p><p></p><p><b>Next steps</b></p><p></p>',
  },
];
