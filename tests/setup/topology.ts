/**
 * Which topology the test hubs of this file start (tests/helpers/hub.ts): the Jest project
 * says, through its test environment options. Set for every file, as workers run files of both
 * projects one after another.
 */
process.env.HUB_TOPOLOGY = (globalThis as { __HUB_TOPOLOGY__?: string }).__HUB_TOPOLOGY__ ?? 'in-process';
