// PostGraphile 4.14.1 on the benchmark database, configured as the issue
// measured it: simplified inflection, the connection-filter plugin with
// relation filters, a pool of 20 (equal to Yanzhen's). No JWT and no
// pgSettings: every query runs as the connecting role, without a
// transaction of its own, as a national admin would see it.
const http = require("http");
const { Pool } = require("pg");
const { postgraphile } = require("postgraphile");

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const app = postgraphile(pool, "public", {
  appendPlugins: [
    require("@graphile-contrib/pg-simplify-inflector"),
    require("postgraphile-plugin-connection-filter"),
  ],
  graphileBuildOptions: { connectionFilterRelations: true },
  disableQueryLog: true,
  enableQueryBatching: false,
  retryOnInitFail: false,
  graphiql: false,
});
const port = Number(process.env.PORT || 5050);
http.createServer(app).listen(port, "127.0.0.1", () => {
  console.log(`postgraphile listening on http://127.0.0.1:${port}/graphql`);
});
