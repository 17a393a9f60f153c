# syntax=docker/dockerfile:1
# Production image: the built server, web app and widget on Node.js 24 LTS (Debian 13), running as a
# non-root user, with OCR for scanned documents (tesseract + Russian/English data, poppler) and the
# PostgreSQL 17 client tools backups use. The entrypoint applies migrations once, then starts the command.
# Build: docker build -t switchboard .   Run: see docker-compose.yml and docs/OPERATIONS.md.

ARG NODE_IMAGE=node:24-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY apps/widget/package.json apps/widget/
COPY packages/shared/package.json packages/shared/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends \
    tini ca-certificates \
    tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng poppler-utils \
    postgresql-client-17 \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data MIGRATE=true
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/apps/server/package.json apps/server/
COPY --from=build --chown=root:root /app/apps/server/dist apps/server/dist
COPY --from=build --chown=root:root /app/apps/web/dist apps/web/dist
COPY --from=build --chown=root:root /app/apps/widget/dist apps/widget/dist
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/switchboard-entrypoint
COPY --chmod=0755 deploy/docker/switchboard.sh /usr/local/bin/switchboard
# The image's `node` user (uid 1000) owns only the data directory; the code stays read-only to it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "switchboard-entrypoint"]
CMD ["node", "apps/server/dist/main.js"]
