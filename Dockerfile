# One image for both programs of the testnet on Kubernetes (deploy/k8s): the control plane
# (`node server/main.js`, the default) and the node daemon (`node node/cli/node.js`, what the
# StatefulSet runs: one bundled file, light to start). TypeScript is compiled in the build stage;
# the image runs plain JavaScript as a non-root user (uid 10001, which the rendered pods also run as).
#   docker build -t testnet-explorer:latest .

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so a source change does not reinstall them. npm ci runs postinstall
# (prisma generate), which needs the schema and the Prisma config.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci
COPY . .
# The explorer's production build (.next), then the server and node compiled to dist/
# (scripts/build-dist.ts), then only the runtime dependencies are kept.
RUN npm run build \
 && npm run build:dist \
 && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN groupadd --system --gid 10001 testnet \
 && useradd --system --uid 10001 --gid testnet --home-dir /app --no-create-home --shell /usr/sbin/nologin testnet \
 && mkdir -p /data && chown testnet:testnet /data
# Code and dependencies stay owned by root: the process can read them, not change them.
COPY --from=build /app/node_modules ./node_modules
# dist/ holds server/, node/, lib/, wire/ (compiled), prisma/migrations and its own package.json.
COPY --from=build /app/dist ./
COPY --from=build /app/.next ./.next
COPY --from=build /app/next.config.js ./
# Next writes its cache at run time; only that is the process's own.
RUN mkdir -p .next/cache && chown -R testnet:testnet .next/cache
USER 10001:10001
EXPOSE 3000 7000
CMD ["node", "server/main.js"]
