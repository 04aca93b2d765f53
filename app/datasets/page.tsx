import DatasetImport from '../_components/datasets/DatasetImport.tsx';

export const metadata = { title: 'NetGuard · Datasets' };

export default function DatasetsPage() {
  return <DatasetImport />;
}
