// Stops the servers this test run started (one started with `npm run infra:up` keeps running).
module.exports = async () => {
  await require('./infra/servers').stopTestServers();
};
