# Trustline bot + workers.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production TZ=Asia/Almaty
# Debian's Chromium for whatsapp-web.js (puppeteer's own download is skipped at build);
# mat2 (with ffmpeg for audio and video) cleans reporters' files of location and author data.
# The WhatsApp session folder is a secret browser profile: owner-only, on its own volume.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium mat2 ffmpeg \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o node -g node -m 0700 /data/whatsapp
ENV CHROMIUM_PATH=/usr/bin/chromium WHATSAPP_DATA_DIR=/data/whatsapp
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# Runs as the unprivileged node user; keys are mounted read-only at /keys.
USER node
ENV TRUSTLINE_KEYS_DIR=/keys
ENTRYPOINT ["node", "bin/trustline.js"]
CMD ["start"]
