'use client';
/** The one header of every page (app/layout.tsx): the name and the pages, the current one marked. */
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const PAGES = [
  { href: '/', label: 'Monitor', testId: 'nav-monitor' },
  { href: '/datasets', label: 'Datasets', testId: 'nav-datasets' },
  { href: '/models', label: 'Models', testId: 'nav-models' },
] as const;

export function SiteHeader() {
  const path = usePathname();
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="site-name">
          <span className="logo" aria-hidden="true">◆</span> NetGuard
        </Link>
        <span className="muted site-tagline">Real-time ML network threat monitor</span>
        <nav className="nav-links" aria-label="Pages">
          {PAGES.map((page) => (
            <Link key={page.href} href={page.href} data-testid={page.testId} aria-current={path === page.href ? 'page' : undefined}>
              {page.label}
            </Link>
          ))}
        </nav>
      </div>
    </header>
  );
}
