/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The Go server during development (`go run ./server`); `npm run dev` proxies to it.
const api = process.env.YANZHEN_DEV_API ?? 'http://localhost:8080'
const proxy = { '/graphql': api, '/export': api, '/import-jobs': api, '/roster-template.xlsx': api }
const csp = process.env.YANZHEN_CSP ?? "default-src 'self'; frame-ancestors 'none'"

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus per component: only what a page uses is bundled, with its CSS.
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts', dirs: [] }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    target: 'es2022',
    manifest: true,
    // The size that matters is the first page's, reported by scripts/bundle-size.mjs.
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy },
  // `vite preview` serves the build under the Go server's Content-Security-Policy,
  // so the end-to-end tests catch what the policy would block.
  preview: { proxy, headers: { 'Content-Security-Policy': csp } },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Element Plus components import their CSS: let Vite, not Node, load them.
    server: { deps: { inline: [/element-plus/] } },
  },
})
