import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'NetGuard', description: 'Real-time ML network threat monitor' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
