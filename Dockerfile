FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
ENV HOST=0.0.0.0 PORT=4000 HUB_DATA_DIR=/data
EXPOSE 4000
CMD ["npm", "start"]
