# The MOPD application image: one image, one process per container (api, worker or mailer; the
# one-shot migrate and seed too). Built in two stages: the first compiles with every dependency,
# the second carries only the production dependencies and the build's output.

# --- build: TypeScript to dist/, the Temporal workflow bundle, the UI ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN npm run build

# --- runtime: production dependencies, dist/ and ui/dist/, as the unprivileged node user ---
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/ui/dist ./ui/dist
# Uploads are written here (UPLOAD_DIR); mount a volume on it and share it between API replicas.
RUN mkdir -p /app/.data/uploads && chown -R node:node /app/.data
USER node
EXPOSE 3000
# /health answers 200 when PostgreSQL, Redis, Temporal and SMTP all answer. Slim images have no
# curl: node's own fetch asks. Only the api container serves HTTP; compose turns this off for the
# worker and mailer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.API_PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/bin/api.js"]
