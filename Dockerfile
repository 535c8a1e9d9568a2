# lessonloop API image: build with the dev toolchain, run with production dependencies only.
# docker compose up (see docker-compose.yml) wires it to PostgreSQL and EventStoreDB.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the prepare script builds, and the sources are not copied in yet.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY contracts ./contracts
COPY projections ./projections
COPY src ./src
COPY scripts ./scripts
COPY dashboard ./dashboard
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    LESSONLOOP_DATA_DIR=/data
WORKDIR /app
# package.json is read at run time (ESM "type": "module", and the CLI reports its version from it).
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# /data holds the embedded store when no DATABASE_URL is set: mount a volume there (docker run -v name:/data).
# No VOLUME line, so a PostgreSQL-backed container leaves no unused anonymous volume behind.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The slim image has no curl: Node's built-in fetch asks GET /health (200 only when both stores answer).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli/main.js", "serve"]
