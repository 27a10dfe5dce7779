# One image for every opstream service (docker-compose picks the command): the same install as
# the README's set-up, run with tsx as `npm start` runs them.
FROM node:20-bookworm-slim
WORKDIR /app
ENV OPSTREAM_ENV=production HTTP_HOST=0.0.0.0 NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
COPY services ./services
RUN npm ci --no-audit --no-fund
COPY . .
USER node
CMD ["npx", "tsx", "services/ingest/src/main.ts"]
