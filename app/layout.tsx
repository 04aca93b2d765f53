import type { ReactNode } from 'react';
import './globals.css';
import { SiteHeader } from './_components/site/SiteHeader.tsx';

export const metadata = { title: 'NetGuard', description: 'Real-time ML network threat monitor' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader />
        {children}
      </body>
    </html>
  );
}
