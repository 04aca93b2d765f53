import ModelsPage from '../_components/models/ModelsPage.tsx';

export const metadata = { title: 'NetGuard · models' };

export default function Models() {
  return <ModelsPage />;
}
