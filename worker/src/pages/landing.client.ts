// Runs on `GET /`: a `/#<context>` launch carries the context in the fragment, which never reaches the server.
// Hand it to the start page as a query parameter, keeping the launch options already in the query.
const context = location.hash.replace(/^#/, '');
if (context.trim() !== '') {
  const params = new URLSearchParams(location.search);
  params.set('url', context);
  location.replace(`/start?${params.toString()}`);
}

export {};
