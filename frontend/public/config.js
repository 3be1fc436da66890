// Run-time settings of the Yanzhen SPA, read before the app starts. When the
// built files are deployed apart from the Go server, point the API here, e.g.
//   window.__YANZHEN_API__ = 'https://yanzhen.example.org/graphql'
// (and list this site's origin in the server's YANZHEN_CORS_ORIGINS).
// Left empty, the app calls /graphql on its own origin.
window.__YANZHEN_API__ = window.__YANZHEN_API__ || ''
