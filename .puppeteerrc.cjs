// whatsapp-web.js pulls puppeteer; its install would download a browser, which fails
// offline. Trustline launches the system Chromium (CHROMIUM_PATH) instead.
module.exports = { skipDownload: true };
