import Dashboard from './_components/Dashboard.tsx';

export default function Home() {
  return <Dashboard />;
}
