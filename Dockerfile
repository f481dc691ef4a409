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
