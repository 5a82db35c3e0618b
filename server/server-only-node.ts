// What `#server-only` resolves to everywhere except a browser bundle: nothing.
// package.json maps `#server-only` to the `server-only` package under the `browser` condition,
// so a client component that reaches a server module fails `next build` with Next's own
// message ("'server-only' cannot be imported from a Client Component module"). Under Node and
// tsx (`npm start`, tests, benchmarks) it lands here instead, because the package's default
// export throws outside React's `react-server` condition, and this server is not a React
// Server Component. The lint rule `boundaries/imports` (app/ imports only app/ and wire/) is
// the first guard; this one catches what reaches a client bundle some other way.
export {};
