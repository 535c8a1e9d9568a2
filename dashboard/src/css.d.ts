/** CSS imports are bundled by esbuild (scripts/build-dashboard.mjs). */
declare module '*.css';
