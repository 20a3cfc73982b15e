// Nodelock's Cockpit configuration (replaces the webapp's default config.js, which configures nothing).
// Cockpit's community edition lists running instances only; nodelock/finished-instances adds a tab to each process
// definition with its finished instances and, per instance, the activities it went through (docs/operations.md).
export default {
  customScripts: ['nodelock/finished-instances']
};
