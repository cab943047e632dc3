# One image for every administration's exchange node (docs/architecture.md): PUENTE_PARTY picks the party,
# keys and API clients are mounted at run time (see docker-compose.yml), never baked in. The same image
# also runs the ops monitor: `node dist/apps/ops-monitor/main.js` (its dashboard files are copied
# beside it by nest-cli.json's assets). The `provision` stage is the network provisioning command.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
# Only what the build reads: a plain `COPY . .` would also take .puente/ (demo keys, broker jars).
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
# npm run build also bundles the officer console (tools/console) into dist/console.
COPY tools/run-ts.js ./tools/run-ts.js
COPY tools/console ./tools/console
RUN npm run build && npx nest build ops-monitor

# Network provisioning (`npm run network:provision`: topics and ACLs from config/agreements.yaml), for
# docker-compose.yml's one-shot `provision` service. It runs from the sources through ts-node, so it
# keeps the build stage's development dependencies; `docker build .` alone never builds it.
FROM build AS provision
COPY tools/run-ts.js ./tools/run-ts.js
COPY tools/network ./tools/network
COPY config ./config
USER node
CMD ["node", "tools/run-ts.js", "tools/network/provision-network.ts"]

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The webpack bundle keeps node_modules external, so the runtime needs the production dependencies.
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# Parties, agreements and the demo watchlist; the node resolves config/… against its working directory.
COPY config ./config
# /data seeds each node's named volume; 1777 so that any --user (see PUENTE_UID in compose) can write.
RUN mkdir -p /data && chmod 1777 /data
USER node
# Inside a container the node must listen beyond loopback (its own default is 127.0.0.1).
ENV HOST=0.0.0.0 PORT=8080 PUENTE_DATA_DIR=/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/exchange-node/main.js"]
