export default function Home() {
  return (
    <main>
      <h1>NetGuard</h1>
      <p>The monitoring dashboard arrives with the live monitor. Use the CLI meanwhile: <code>npx netguard --help</code>.</p>
    </main>
  );
}
