/* Entitlement Status grid: row editing (DOMAIN.md §5.4 B1). No inline scripts anywhere (the CSP forbids them). */
