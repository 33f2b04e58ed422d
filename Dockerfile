# The MOPD application image: one image, one process per container (api, worker or mailer).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN node node_modules/vite/bin/vite.js build --config ui/vite.config.ts \
 && node --import tsx bin/workflowBundle.ts
USER node
CMD ["node", "--import", "tsx", "bin/api.ts"]
